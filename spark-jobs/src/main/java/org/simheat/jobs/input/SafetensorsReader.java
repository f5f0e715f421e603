package org.simheat.jobs.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads a 2-D F16/BF16/F32/F64 tensor from a {@code .safetensors} file, or from a sharded Hugging
 * Face checkpoint through its {@code model.safetensors.index.json}, as a {@link StridedMatrixFile}
 * over the tensor's bytes. Only headers are read here, never tensor data.
 */
public final class SafetensorsReader {
  /** An index longer than this is corrupt: real ones are well under a megabyte. */
  static final long MAX_INDEX_BYTES = 100_000_000;

  private SafetensorsReader() {}

  /**
   * Opens a tensor of a safetensors file or sharded checkpoint and checks it against the file.
   *
   * @param uri a {@code .safetensors} file, or a checkpoint index ({@code *.json}) whose {@code
   *     weight_map} maps tensor names to shard files in the index's directory
   * @param tensor the tensor's name, or null to take the only 2-D floating tensor
   * @param conf the Hadoop configuration to open files with (also used later by executors)
   * @return the matrix, read lazily from the file holding it
   * @throws IllegalArgumentException if a file is missing or malformed, the tensor is unknown, not
   *     2-D or not floating, no name is given and not exactly one tensor fits, or the data is
   *     truncated
   * @throws UncheckedIOException if the file system fails
   */
  public static MatrixSource open(String uri, String tensor, Configuration conf) {
    try {
      return uri.toLowerCase(Locale.ROOT).endsWith(".json")
          ? openSharded(uri, tensor, conf)
          : openFile(uri, tensor, conf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  private static MatrixSource openFile(String uri, String tensor, Configuration conf)
      throws IOException {
    try (InputFile file = InputFile.open(uri, conf)) {
      SafetensorsHeader header = SafetensorsHeader.read(file);
      String name = choose(header.candidates(), tensor, uri);
      return matrix(file, header, name, conf);
    }
  }

  private static MatrixSource openSharded(String indexUri, String tensor, Configuration conf)
      throws IOException {
    Map<String, String> weightMap = weightMap(indexUri, conf);
    String shard =
        tensor != null && weightMap.containsKey(tensor)
            ? sibling(indexUri, weightMap.get(tensor))
            : shardOfChoice(indexUri, weightMap, tensor, conf);
    try (InputFile file = InputFile.open(shard, conf)) {
      SafetensorsHeader header = SafetensorsHeader.read(file);
      String name = tensor != null ? tensor : choose(header.candidates(), null, shard);
      if (header.entry(name) == null) {
        throw TensorChoice.error(
            "the index maps tensor '" + name + "' to " + shard + ", which has no such tensor",
            indexUri);
      }
      return matrix(file, header, choose(header.candidates(), name, shard), conf);
    }
  }

  /**
   * Chooses among the tensors of every shard (headers only) and returns the chosen one's shard. A
   * chosen shard then holds exactly one fitting tensor, so choosing again there finds it.
   */
  private static String shardOfChoice(
      String indexUri, Map<String, String> weightMap, String tensor, Configuration conf)
      throws IOException {
    List<TensorChoice.Candidate> all = new ArrayList<>();
    Map<String, String> shardOf = new HashMap<>();
    for (String shardName : new LinkedHashSet<>(weightMap.values())) {
      String shard = sibling(indexUri, shardName);
      try (InputFile file = InputFile.open(shard, conf)) {
        for (TensorChoice.Candidate c : SafetensorsHeader.read(file).candidates()) {
          all.add(c);
          shardOf.putIfAbsent(c.name(), shard);
        }
      }
    }
    String name = choose(all, tensor, indexUri);
    return shardOf.get(name);
  }

  private static String choose(List<TensorChoice.Candidate> all, String tensor, String file) {
    return TensorChoice.choose(all, tensor, SafetensorsHeader.EXPECTED_DTYPES, file).name();
  }

  private static MatrixSource matrix(
      InputFile file, SafetensorsHeader header, String name, Configuration conf) {
    SafetensorsHeader.Entry e = header.entry(name);
    String description = file.uri() + ", tensor '" + name + "'";
    long dim = e.shape()[1];
    if (dim > Integer.MAX_VALUE) {
      throw TensorChoice.error("the matrix has " + dim + " columns, too many", description);
    }
    return new StridedMatrixFile(
        file,
        new HadoopConf(conf),
        header.start(e),
        e.shape()[0],
        (int) dim,
        dim,
        1,
        e.decoded(),
        ByteOrder.LITTLE_ENDIAN,
        description);
  }

  /** The index's {@code weight_map}: tensor name → shard file name, in file order. */
  private static Map<String, String> weightMap(String indexUri, Configuration conf)
      throws IOException {
    JsonNode root;
    try (InputFile file = InputFile.open(indexUri, conf)) {
      if (file.length() > MAX_INDEX_BYTES) {
        throw TensorChoice.error(
            "the checkpoint index has " + file.length() + " bytes, at most " + MAX_INDEX_BYTES,
            indexUri);
      }
      root = SafetensorsHeader.parse(file.read(0, (int) file.length()), "the index", indexUri);
    }
    JsonNode map = root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw TensorChoice.error(
          "the index has no 'weight_map' object mapping tensor names to shard files", indexUri);
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
        throw TensorChoice.error(
            "the index maps tensor '" + e.getKey() + "' to " + e.getValue() + ", not a file name",
            indexUri);
      }
      weightMap.put(e.getKey(), e.getValue().asText());
    }
    return weightMap;
  }

  /** A shard's location: its name resolved against the index's directory. */
  static String sibling(String indexUri, String shardName) {
    if (URI.create(indexUri.replace(" ", "%20")).getScheme() == null) {
      File parent = new File(indexUri).getParentFile();
      return parent == null ? shardName : new File(parent, shardName).getPath();
    }
    return new Path(new Path(indexUri).getParent(), shardName).toString();
  }
}
