package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a 2-D FLOAT/FLOAT16/BFLOAT16/DOUBLE graph initializer of an ONNX model. The model is
 * scanned as protobuf wire format with seeks over large payloads ({@code ModelProto} field 7 =
 * graph, {@code GraphProto} field 5 = initializer), so only small fields are read. {@code raw_data}
 * and packed {@code float_data}/{@code double_data} lie contiguous in the file and become a {@link
 * StridedMatrixFile}; float16/bfloat16 values kept in {@code int32_data} (one varint per value) are
 * decoded into a {@link DenseMatrix}. External data is not supported.
 */
public final class OnnxReader {
  static final String EXPECTED_DTYPES = "FLOAT16, BFLOAT16, FLOAT or DOUBLE";

  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_INITIALIZER = 5;

  private OnnxReader() {}

  /**
   * Opens an initializer of an ONNX model and checks it against the file.
   *
   * @param uri a bare local path or a {@code file:}, {@code hdfs:} or {@code s3a:} URI
   * @param tensor the initializer's name, or null to take the only 2-D floating one
   * @param conf the Hadoop configuration to open it with (also used later by executors)
   * @return the matrix: read lazily from the file, or decoded in memory for {@code int32_data}
   * @throws IllegalArgumentException if the file is not a valid ONNX model, the initializer is
   *     unknown, not 2-D, not floating, empty, external or truncated, or no name is given and not
   *     exactly one initializer fits
   * @throws UncheckedIOException if the file system fails
   */
  public static MatrixSource open(String uri, String tensor, Configuration conf) {
    try (InputFile file = InputFile.open(uri, conf)) {
      ProtobufScanner scanner = new ProtobufScanner(file, "an ONNX model");
      List<OnnxTensorProto> all = initializers(scanner, file);
      List<TensorChoice.Candidate> candidates =
          all.stream().map(OnnxTensorProto::candidate).toList();
      String name = TensorChoice.choose(candidates, tensor, EXPECTED_DTYPES, uri).name();
      OnnxTensorProto t = all.stream().filter(i -> i.name().equals(name)).findFirst().get();
      return matrix(scanner, file, t, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Every initializer of the model's graph, in file order. */
  private static List<OnnxTensorProto> initializers(ProtobufScanner s, InputFile file)
      throws IOException {
    List<OnnxTensorProto> found = new ArrayList<>();
    boolean graph = false;
    for (ProtobufScanner.Field f; (f = s.next()) != null; ) {
      if (f.number() == MODEL_GRAPH) {
        requireMessage(s, f, "graph");
        graph = true;
        long resume = s.position();
        s.seek(f.start());
        for (ProtobufScanner.Field g; (g = s.next(f.end())) != null; ) {
          if (g.number() == GRAPH_INITIALIZER) {
            requireMessage(s, g, "initializer");
            OnnxTensorProto t = OnnxTensorProto.scan(s, file, g.start(), g.end());
            if (found.stream().anyMatch(i -> i.name().equals(t.name()))) {
              throw TensorChoice.error(
                  "two initializers are named '" + t.name() + "' (names must be unique)",
                  file.uri());
            }
            found.add(t);
          }
        }
        s.seek(resume);
      }
    }
    if (!graph) {
      throw TensorChoice.error("not an ONNX model, it has no graph", file.uri());
    }
    return found;
  }

  private static void requireMessage(ProtobufScanner s, ProtobufScanner.Field f, String what) {
    if (f.wireType() != ProtobufScanner.LENGTH_DELIMITED) {
      throw s.malformed(what + " field with wire type " + f.wireType(), f.start());
    }
  }

  private static MatrixSource matrix(
      ProtobufScanner s, InputFile file, OnnxTensorProto t, Configuration conf) throws IOException {
    String description = file.uri() + ", tensor '" + t.name() + "'";
    long rows = t.dims()[0];
    long cols = t.dims()[1];
    checkShape(t, rows, cols, description);
    requireInternal(t, file.uri());
    OnnxTensorProto.Occurrence raw = t.data(OnnxTensorProto.RAW_DATA);
    if (raw != null) {
      requireMessage(s, raw.last(), "raw_data");
    }
    int field = raw != null ? OnnxTensorProto.RAW_DATA : t.typedField();
    OnnxTensorProto.Occurrence data = raw != null ? raw : t.data(field);
    if (data == null) {
      throw TensorChoice.error("initializer '" + t.name() + "' holds no data", file.uri());
    }
    boolean contiguous =
        raw != null
            || field != OnnxTensorProto.INT32_DATA
                && data.count() == 1
                && data.last().wireType() == ProtobufScanner.LENGTH_DELIMITED;
    if (!contiguous) {
      float[] values = OnnxValueDecoder.decode(s, t, field, Math.multiplyExact(rows, cols));
      return new DenseMatrix(values, (int) rows, (int) cols, description);
    }
    checkByteLength(t, data.last(), field, rows * cols, file.uri());
    return new StridedMatrixFile(
        file,
        new HadoopConf(conf),
        data.last().start(),
        rows,
        (int) cols,
        cols,
        1,
        t.dtype(),
        ByteOrder.LITTLE_ENDIAN,
        description);
  }

  private static void requireInternal(OnnxTensorProto t, String uri) {
    if (t.external()) {
      throw TensorChoice.error(
          "initializer '"
              + t.name()
              + "' keeps its data in an external file (data_location EXTERNAL), which is not"
              + " supported",
          uri);
    }
  }

  private static void checkShape(OnnxTensorProto t, long rows, long cols, String description) {
    String shape = t.candidate().shapeText();
    if (rows < 0 || cols < 0) {
      throw TensorChoice.error("the shape " + shape + " has a negative dimension", description);
    }
    if (rows == 0 || cols == 0) {
      throw TensorChoice.error("the matrix is empty (" + rows + " × " + cols + ")", description);
    }
    if (cols > Integer.MAX_VALUE || rows > Long.MAX_VALUE / cols / 8) {
      throw TensorChoice.error("the shape " + shape + " is too large", description);
    }
  }

  private static void checkByteLength(
      OnnxTensorProto t, ProtobufScanner.Field data, int field, long count, String uri) {
    long need = count * t.dtype().bytes();
    if (data.length() != need) {
      throw TensorChoice.error(
          "initializer '"
              + t.name()
              + "' has "
              + data.length()
              + " bytes of "
              + OnnxTensorProto.fieldName(field)
              + " but its shape "
              + t.candidate().shapeText()
              + " of "
              + t.typeName()
              + " needs "
              + need,
          uri);
    }
  }
}
