package org.simheat.jobs.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a {@code .safetensors} file, read and checked without touching the data: an
 * 8-byte little-endian length N, N bytes of JSON mapping each tensor name to its dtype, shape and
 * {@code data_offsets} (relative to the data section at byte 8 + N), and an optional {@code
 * __metadata__} entry.
 */
final class SafetensorsHeader {
  /** A header longer than this is corrupt (the reference implementation's own limit). */
  static final long MAX_HEADER_BYTES = 100_000_000;

  static final String EXPECTED_DTYPES = "F16, BF16, F32 or F64";

  static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Map<String, Integer> DTYPE_BYTES =
      Map.ofEntries(
          Map.entry("BOOL", 1),
          Map.entry("U8", 1),
          Map.entry("I8", 1),
          Map.entry("F8_E5M2", 1),
          Map.entry("F8_E4M3", 1),
          Map.entry("F8_E8M0", 1),
          Map.entry("I16", 2),
          Map.entry("U16", 2),
          Map.entry("F16", 2),
          Map.entry("BF16", 2),
          Map.entry("I32", 4),
          Map.entry("U32", 4),
          Map.entry("F32", 4),
          Map.entry("I64", 8),
          Map.entry("U64", 8),
          Map.entry("F64", 8),
          Map.entry("C64", 8));

  /** One tensor's header entry; offsets are relative to the data section. */
  record Entry(String name, String dtype, long[] shape, long begin, long end) {
    TensorChoice.Candidate candidate() {
      return new TensorChoice.Candidate(name, shape, dtype, decoded() != null);
    }

    DType decoded() {
      return switch (dtype) {
        case "F16" -> DType.F16;
        case "BF16" -> DType.BF16;
        case "F32" -> DType.F32;
        case "F64" -> DType.F64;
        default -> null;
      };
    }
  }

  private final String uri;
  private final long dataStart;
  private final List<Entry> entries;

  private SafetensorsHeader(String uri, long dataStart, List<Entry> entries) {
    this.uri = uri;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  /**
   * Reads and checks the header of an open file.
   *
   * @throws IllegalArgumentException if the length is absurd or past the end of the file, the JSON
   *     is malformed, or an entry's offsets disagree with its shape, overlap another's, or run past
   *     the end of the file
   * @throws IOException if the file system fails
   */
  static SafetensorsHeader read(InputFile file) throws IOException {
    long n = file.buffer(0, 8, ByteOrder.LITTLE_ENDIAN).getLong();
    if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
      throw TensorChoice.error(
          "the safetensors header length "
              + Long.toUnsignedString(n)
              + " is absurd, at most "
              + MAX_HEADER_BYTES
              + " bytes",
          file.uri());
    }
    if (8 + n > file.length()) {
      throw TensorChoice.error(
          "the safetensors header length "
              + n
              + " runs past the end of the file ("
              + file.length()
              + " bytes)",
          file.uri());
    }
    JsonNode root = parse(file.read(8, (int) n), "the safetensors header", file.uri());
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getKey().equals("__metadata__")) {
        entries.add(entry(field.getKey(), field.getValue(), file.uri()));
      }
    }
    SafetensorsHeader header = new SafetensorsHeader(file.uri(), 8 + n, entries);
    header.checkOffsets(file.length() - header.dataStart);
    return header;
  }

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException naming {@code what} if the bytes are not a JSON object
   */
  static JsonNode parse(byte[] bytes, String what, String uri) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage().lines().findFirst().orElse("");
      throw TensorChoice.error(what + " is not valid JSON: " + why, uri);
    } catch (IOException e) {
      throw TensorChoice.error(what + " is not valid JSON: " + e.getMessage(), uri);
    }
    if (root == null || !root.isObject()) {
      throw TensorChoice.error(what + " is not a JSON object", uri);
    }
    return root;
  }

  /** Every tensor as a tensor-choice candidate, in file order. */
  List<TensorChoice.Candidate> candidates() {
    return entries.stream().map(Entry::candidate).toList();
  }

  /** The entry of a tensor, or null. */
  Entry entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
  }

  /** Absolute file offset of a tensor's first byte. */
  long start(Entry e) {
    return dataStart + e.begin();
  }

  private void checkOffsets(long dataBytes) {
    for (Entry e : entries) {
      Integer bytes = DTYPE_BYTES.get(e.dtype());
      long need = bytes == null ? -1 : byteSize(e, bytes, uri);
      if (need >= 0 && need != e.end() - e.begin()) {
        throw TensorChoice.error(
            "tensor '"
                + e.name()
                + "' has data_offsets "
                + offsets(e)
                + " ("
                + (e.end() - e.begin())
                + " bytes) but shape "
                + e.candidate().shapeText()
                + " of "
                + e.dtype()
                + " needs "
                + need
                + " bytes",
            uri);
      }
      if (e.end() > dataBytes) {
        throw TensorChoice.error(
            "tensor '"
                + e.name()
                + "' has data_offsets "
                + offsets(e)
                + " that run past the end of the file (the data section holds "
                + dataBytes
                + " bytes)",
            uri);
      }
    }
    checkOverlaps();
  }

  private void checkOverlaps() {
    List<Entry> sorted =
        entries.stream()
            .filter(e -> e.end() > e.begin())
            .sorted(Comparator.comparingLong(Entry::begin))
            .toList();
    for (int i = 1; i < sorted.size(); i++) {
      Entry a = sorted.get(i - 1);
      Entry b = sorted.get(i);
      if (b.begin() < a.end()) {
        throw TensorChoice.error(
            "tensors '"
                + a.name()
                + "' and '"
                + b.name()
                + "' overlap: data_offsets "
                + offsets(a)
                + " and "
                + offsets(b),
            uri);
      }
    }
  }

  private static Entry entry(String name, JsonNode node, String uri) {
    if (!node.isObject()) {
      throw malformed(name, "it is not an object", uri);
    }
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null || !dtype.isTextual()) {
      throw malformed(name, "'dtype' is not a string", uri);
    }
    long[] dims = naturals(shape);
    if (dims == null) {
      throw malformed(name, "'shape' is not a list of non-negative integers", uri);
    }
    long[] range = naturals(offsets);
    if (range == null || range.length != 2 || range[0] > range[1]) {
      throw malformed(name, "'data_offsets' is not [begin, end] with 0 <= begin <= end", uri);
    }
    return new Entry(name, dtype.asText(), dims, range[0], range[1]);
  }

  /** The values of an array of non-negative integers that fit a long, or null. */
  private static long[] naturals(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
        return null;
      }
      values[i] = v.asLong();
    }
    return values;
  }

  private static long byteSize(Entry e, int bytes, String uri) {
    try {
      long size = bytes;
      for (long d : e.shape()) {
        size = Math.multiplyExact(size, d);
      }
      return size;
    } catch (ArithmeticException overflow) {
      throw TensorChoice.error(
          "tensor '" + e.name() + "' has shape " + e.candidate().shapeText() + ", too large", uri);
    }
  }

  private static IllegalArgumentException malformed(String name, String why, String uri) {
    return TensorChoice.error(
        "the safetensors header entry of tensor '" + name + "' is malformed, " + why, uri);
  }

  private static String offsets(Entry e) {
    return "[" + e.begin() + ", " + e.end() + "]";
  }
}
