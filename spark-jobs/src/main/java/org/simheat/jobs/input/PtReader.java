package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.simheat.jobs.input.TorchPickle.Tensor;

/**
 * Reads a 2-D tensor from a torch {@code .pt} file in the zip format of {@code torch.save}: a bare
 * tensor, a state_dict, or nested dicts of tensors.
 *
 * <p>The archive holds {@code <prefix>/data.pkl} (the object, pickled), one entry {@code
 * <prefix>/data/<key>} per storage, and from torch 2 on a {@code <prefix>/byteorder} entry. The
 * pickle is interpreted by a restricted unpickler that knows only tensor-building imports. A tensor
 * is a view (offset, strides) of a storage, so a stored (uncompressed) storage becomes a {@link
 * StridedMatrixFile} over the zip entry's bytes, which executors read in place; a deflated storage
 * is inflated on the driver into a {@link DenseMatrix}.
 */
public final class PtReader {
  private static final long MAX_PICKLE = 64L << 20;
  private static final long MAX_INFLATED = Integer.MAX_VALUE - 8L;

  private PtReader() {}

  /**
   * Opens a tensor of a {@code .pt} file as a matrix, after checking its dtype, shape and extent.
   *
   * @param uri the file (a bare local path or a Hadoop URI)
   * @param tensor the dotted tensor name (dict keys joined with '.'), or null to take the only 2-D
   *     floating tensor
   * @param conf the Hadoop configuration for the file system
   * @throws IllegalArgumentException if the file is missing, not a torch zip, truncated or corrupt,
   *     its pickle imports anything but tensor builders, the tensor choice fails, the tensor is not
   *     a 2-D float16/bfloat16/float32/float64 one, or its view runs past its storage
   * @throws UncheckedIOException if the file system fails
   */
  public static MatrixSource open(String uri, String tensor, Configuration conf) {
    try (InputFile file = InputFile.open(uri, conf)) {
      ZipDirectory zip = ZipDirectory.read(file);
      String prefix = prefix(zip);
      Object root =
          TorchPickle.load(
              zip.readBytes(entry(zip, prefix + "data.pkl"), "data.pkl", MAX_PICKLE), uri);
      Map.Entry<String, Tensor> chosen = PtTensorIndex.of(root, uri).choose(tensor);
      return matrix(zip, prefix, chosen.getKey(), chosen.getValue(), byteOrder(zip, prefix), conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /** The archive's top folder, as torch finds it: the first entry's name up to its first '/'. */
  private static String prefix(ZipDirectory zip) {
    ZipDirectory.Entry first = zip.first();
    int slash = first == null ? -1 : first.name().indexOf('/');
    if (slash < 0) {
      throw fail("the zip archive is not a torch.save file (no top folder with data.pkl)", zip);
    }
    return first.name().substring(0, slash + 1);
  }

  private static ZipDirectory.Entry entry(ZipDirectory zip, String name) {
    ZipDirectory.Entry e = zip.entry(name);
    if (e == null) {
      throw fail(
          "the zip archive has no entry '" + name + "', so it is not a torch.save file", zip);
    }
    return e;
  }

  private static ByteOrder byteOrder(ZipDirectory zip, String prefix) throws IOException {
    ZipDirectory.Entry e = zip.entry(prefix + "byteorder");
    if (e == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String order = new String(zip.readBytes(e, "byteorder", 64), StandardCharsets.US_ASCII).trim();
    return switch (order) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw fail("the byteorder entry says '" + order + "', expected little or big", zip);
    };
  }

  private static MatrixSource matrix(
      ZipDirectory zip, String prefix, String name, Tensor t, ByteOrder order, Configuration conf)
      throws IOException {
    String description = name.isEmpty() ? zip.file().uri() : zip.file().uri() + " [" + name + "]";
    requireShape(t, name, zip);
    ZipDirectory.Entry storage = entry(zip, prefix + "data/" + t.storage().key());
    requireExtent(t, storage, name, zip);
    TorchElement type = t.storage().type();
    if (storage.method() != 0) {
      byte[] bytes = zip.readBytes(storage, "storage", MAX_INFLATED);
      return dense(ByteBuffer.wrap(bytes).order(order), t, description, zip);
    }
    return new StridedMatrixFile(
        zip.file(),
        new HadoopConf(conf),
        zip.dataStart(storage) + t.offset() * type.bytes(),
        t.size()[0],
        (int) t.size()[1],
        t.stride()[0],
        t.stride()[1],
        type.dtype(),
        order,
        description);
  }

  private static void requireShape(Tensor t, String name, ZipDirectory zip) {
    long rows = t.size()[0];
    long cols = t.size()[1];
    if (rows == 0 || cols == 0 || cols > Integer.MAX_VALUE) {
      throw fail(
          "tensor "
              + describe(name)
              + " has shape ["
              + rows
              + ", "
              + cols
              + "], expected a non-empty matrix with fewer than 2^31 columns",
          zip);
    }
  }

  /** Checks that the view's last element, {@code offset + Σ (size_k − 1)·stride_k}, is stored. */
  private static void requireExtent(
      Tensor t, ZipDirectory.Entry storage, String name, ZipDirectory zip) {
    long held = storage.size() / t.storage().type().bytes();
    long last;
    try {
      long span =
          Math.addExact(
              Math.multiplyExact(t.size()[0] - 1, t.stride()[0]),
              Math.multiplyExact(t.size()[1] - 1, t.stride()[1]));
      last = Math.addExact(t.offset(), span);
    } catch (ArithmeticException e) {
      last = Long.MAX_VALUE;
    }
    if (last >= held) {
      throw fail(
          "tensor "
              + describe(name)
              + " reaches element "
              + (last == Long.MAX_VALUE ? "2^63" : Long.toString(last))
              + " of storage '"
              + t.storage().key()
              + "', which holds "
              + held,
          zip);
    }
  }

  /** Decodes an inflated storage through the tensor's view; the extent was checked. */
  private static DenseMatrix dense(ByteBuffer buf, Tensor t, String description, ZipDirectory zip) {
    int cols = (int) t.size()[1];
    if (t.size()[0] > MAX_INFLATED / Float.BYTES / cols) {
      throw fail(
          "the compressed tensor has "
              + t.size()[0]
              + " × "
              + cols
              + " elements, too many to inflate in memory",
          zip);
    }
    int rows = (int) t.size()[0];
    DType dtype = t.storage().type().dtype();
    int eb = dtype.bytes();
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long element = t.offset() + r * t.stride()[0] + c * t.stride()[1];
        out[r * cols + c] = dtype.read(buf, (int) (element * eb));
      }
    }
    return new DenseMatrix(out, rows, cols, description);
  }

  private static String describe(String name) {
    return name.isEmpty() ? "(unnamed)" : "'" + name + "'";
  }

  private static IllegalArgumentException fail(String why, ZipDirectory zip) {
    return new IllegalArgumentException(
        "Cannot read embeddings: " + why + " (" + zip.file().uri() + ")");
  }
}
