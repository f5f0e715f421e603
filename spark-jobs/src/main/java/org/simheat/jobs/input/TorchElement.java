package org.simheat.jobs.input;

import java.util.List;

/**
 * Torch element types as a {@code .pt} pickle names them: the legacy typed-storage classes ({@code
 * torch.FloatStorage}, …) and the dtypes; the four floating ones decode to a {@link DType}.
 */
enum TorchElement {
  FLOAT32("float32", 4, DType.F32, "FloatStorage"),
  FLOAT16("float16", 2, DType.F16, "HalfStorage"),
  BFLOAT16("bfloat16", 2, DType.BF16, "BFloat16Storage"),
  FLOAT64("float64", 8, DType.F64, "DoubleStorage"),
  INT64("int64", 8, null, "LongStorage"),
  INT32("int32", 4, null, "IntStorage"),
  INT16("int16", 2, null, "ShortStorage"),
  INT8("int8", 1, null, "CharStorage"),
  UINT8("uint8", 1, null, "ByteStorage", "UntypedStorage"),
  BOOL("bool", 1, null, "BoolStorage"),
  COMPLEX64("complex64", 8, null, "ComplexFloatStorage"),
  COMPLEX128("complex128", 16, null, "ComplexDoubleStorage");

  private final String dtypeName;
  private final int bytes;
  private final DType dtype;
  private final List<String> storageClasses;

  TorchElement(String dtypeName, int bytes, DType dtype, String... storageClasses) {
    this.dtypeName = dtypeName;
    this.bytes = bytes;
    this.dtype = dtype;
    this.storageClasses = List.of(storageClasses);
  }

  /** The torch dtype name, e.g. {@code float32}. */
  String dtypeName() {
    return dtypeName;
  }

  /** Bytes per element. */
  int bytes() {
    return bytes;
  }

  /** The decoding of a floating type, or null for integer, boolean and complex types. */
  DType dtype() {
    return dtype;
  }

  /** Names of the {@code torch.*Storage} classes holding this type. */
  List<String> storageClasses() {
    return storageClasses;
  }
}
