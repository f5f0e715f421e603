package org.simheat.jobs.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a scan of one ONNX {@code TensorProto} (a graph initializer) found: name, dims, data type,
 * and where each of its data fields lies in the file, without reading the data.
 *
 * <p>Fields: 1 dims (int64, packed or not), 2 data_type, 4 float_data, 5 int32_data (float16 and
 * bfloat16 bit patterns), 8 name, 9 raw_data (little-endian bytes), 10 double_data, 14
 * data_location (1 = EXTERNAL, the data then lies in the file that 13 external_data names).
 */
final class OnnxTensorProto {
  static final int FLOAT = 1;
  static final int FLOAT16 = 10;
  static final int DOUBLE = 11;
  static final int BFLOAT16 = 16;

  static final int EXTERNAL = 1;

  static final int FLOAT_DATA = 4;
  static final int INT32_DATA = 5;
  static final int RAW_DATA = 9;
  static final int DOUBLE_DATA = 10;

  private static final int MAX_NAME_BYTES = 1 << 20;
  private static final String[] TYPE_NAMES = {
    "UNDEFINED",
    "FLOAT",
    "UINT8",
    "INT8",
    "UINT16",
    "INT16",
    "INT32",
    "INT64",
    "STRING",
    "BOOL",
    "FLOAT16",
    "DOUBLE",
    "UINT32",
    "UINT64",
    "COMPLEX64",
    "COMPLEX128",
    "BFLOAT16",
    "FLOAT8E4M3FN",
    "FLOAT8E4M3FNUZ",
    "FLOAT8E5M2",
    "FLOAT8E5M2FNUZ",
    "UINT4",
    "INT4",
    "FLOAT4E2M1"
  };

  /** The last occurrence of a data field, and how many there were. */
  record Occurrence(ProtobufScanner.Field last, int count) {}

  private final long start;
  private final long end;
  private String name = "";
  private long[] dims = new long[0];
  private int dataType;
  private boolean external;
  private final Occurrence[] data = new Occurrence[DOUBLE_DATA + 1];

  private OnnxTensorProto(long start, long end) {
    this.start = start;
    this.end = end;
  }

  /**
   * Scans the TensorProto at {@code [start, end)}; leaves the scanner at {@code end}.
   *
   * @throws IllegalArgumentException if its encoding is broken
   * @throws IOException if the file system fails
   */
  static OnnxTensorProto scan(ProtobufScanner s, InputFile file, long start, long end)
      throws IOException {
    OnnxTensorProto t = new OnnxTensorProto(start, end);
    s.seek(start);
    for (ProtobufScanner.Field f; (f = s.next(end)) != null; ) {
      switch (f.number()) {
        case 1 -> t.addDims(s, f);
        case 2 -> t.dataType = (int) f.value();
        case 8 -> t.name = readName(s, file, f);
        case 14 -> t.external = f.value() == EXTERNAL;
        case FLOAT_DATA, INT32_DATA, RAW_DATA, DOUBLE_DATA -> t.addData(f);
        default -> {}
      }
    }
    return t;
  }

  private void addDims(ProtobufScanner s, ProtobufScanner.Field f) throws IOException {
    if (f.wireType() == ProtobufScanner.VARINT) {
      appendDim(f.value());
      return;
    }
    if (f.wireType() != ProtobufScanner.LENGTH_DELIMITED) {
      throw s.malformed("dims with wire type " + f.wireType(), f.start());
    }
    long resume = s.position();
    s.seek(f.start());
    while (s.position() < f.end()) {
      appendDim(s.readVarint(f.end()));
    }
    s.seek(resume);
  }

  private void appendDim(long d) {
    dims = Arrays.copyOf(dims, dims.length + 1);
    dims[dims.length - 1] = d;
  }

  private static String readName(ProtobufScanner s, InputFile file, ProtobufScanner.Field f)
      throws IOException {
    if (f.wireType() != ProtobufScanner.LENGTH_DELIMITED || f.length() > MAX_NAME_BYTES) {
      throw s.malformed("a tensor name of " + f.length() + " bytes", f.start());
    }
    return new String(file.read(f.start(), (int) f.length()), StandardCharsets.UTF_8);
  }

  private void addData(ProtobufScanner.Field f) {
    Occurrence before = data[f.number()];
    data[f.number()] = new Occurrence(f, before == null ? 1 : before.count() + 1);
  }

  /** Where the TensorProto starts in the file. */
  long start() {
    return start;
  }

  /** Where the TensorProto ends in the file. */
  long end() {
    return end;
  }

  String name() {
    return name;
  }

  long[] dims() {
    return dims;
  }

  /** True if the data lies in another file (data_location EXTERNAL). */
  boolean external() {
    return external;
  }

  /** The field that holds this data type's values when there is no raw_data. */
  int typedField() {
    return switch (dataType) {
      case FLOAT -> FLOAT_DATA;
      case DOUBLE -> DOUBLE_DATA;
      default -> INT32_DATA;
    };
  }

  /** A data field's name as onnx.proto spells it. */
  static String fieldName(int field) {
    return switch (field) {
      case FLOAT_DATA -> "float_data";
      case INT32_DATA -> "int32_data";
      case DOUBLE_DATA -> "double_data";
      default -> "raw_data";
    };
  }

  /** The last occurrence of a data field, or null if the tensor has none. */
  Occurrence data(int field) {
    return data[field];
  }

  /** The element type, or null if the readers do not decode it. */
  DType dtype() {
    return switch (dataType) {
      case FLOAT -> DType.F32;
      case FLOAT16 -> DType.F16;
      case DOUBLE -> DType.F64;
      case BFLOAT16 -> DType.BF16;
      default -> null;
    };
  }

  /** The data type's name as onnx.proto spells it. */
  String typeName() {
    return dataType >= 0 && dataType < TYPE_NAMES.length
        ? TYPE_NAMES[dataType]
        : "data type " + dataType;
  }

  TensorChoice.Candidate candidate() {
    return new TensorChoice.Candidate(name, dims, typeName(), dtype() != null);
  }
}
