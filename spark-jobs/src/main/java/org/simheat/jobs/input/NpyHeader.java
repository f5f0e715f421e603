package org.simheat.jobs.input;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dict of a {@code .npy} header ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (N,
 * d), }}), parsed and checked to describe a 2-D floating matrix.
 *
 * @param dtype the element type
 * @param order the byte order of the elements
 * @param fortranOrder true if the data is column-major
 * @param rows N
 * @param dim d
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortranOrder, long rows, int dim) {
  private static final Pattern FLOAT_DESCR = Pattern.compile("([<>=|]?)f([248])");
  private static final int SHOWN_CHARS = 120;

  /**
   * Parses and checks a header dict.
   *
   * @param text the header as decoded from the file
   * @param file the file, for messages
   * @throws IllegalArgumentException if the text is not a dict literal, lacks a key, or does not
   *     describe a non-negative 2-D float16/32/64 shape
   */
  static NpyHeader parse(String text, String file) {
    Map<?, ?> dict = dict(text, file);
    Object descr = required(dict, "descr", text, file);
    Object fortran = required(dict, "fortran_order", text, file);
    Object shape = required(dict, "shape", text, file);
    if (!(fortran instanceof Boolean fortranOrder)) {
      throw error(
          "the header's fortran_order is "
              + PythonLiteralParser.repr(fortran)
              + ", expected True or False",
          file);
    }
    long[] dims = dims(shape, file);
    String shapeText = PythonLiteralParser.repr(shape);
    if (dims.length != 2) {
      throw error("expected a 2-D matrix, got shape " + shapeText, file);
    }
    Matcher m = descr instanceof String s ? FLOAT_DESCR.matcher(s) : null;
    if (m == null || !m.matches()) {
      throw error(
          "unsupported dtype "
              + PythonLiteralParser.repr(descr)
              + ", expected float16, float32 or float64",
          file);
    }
    DType dtype =
        switch (m.group(2)) {
          case "2" -> DType.F16;
          case "4" -> DType.F32;
          default -> DType.F64;
        };
    ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    checkSize(dims, dtype, shapeText, file);
    return new NpyHeader(dtype, order, fortranOrder, dims[0], (int) dims[1]);
  }

  private static Map<?, ?> dict(String text, String file) {
    Object parsed;
    try {
      parsed = PythonLiteralParser.parse(text);
    } catch (PythonLiteralParser.SyntaxException e) {
      throw error(
          "the header is not a Python dict literal, " + e.getMessage() + ": " + shown(text), file);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw error("the header is not a dict: " + shown(text), file);
    }
    return map;
  }

  private static Object required(Map<?, ?> dict, String key, String text, String file) {
    if (!dict.containsKey(key)) {
      throw error("the header lacks '" + key + "': " + shown(text), file);
    }
    return dict.get(key);
  }

  private static long[] dims(Object shape, String file) {
    String shapeText = PythonLiteralParser.repr(shape);
    if (!(shape instanceof PythonLiteralParser.Tuple tuple)) {
      throw error(
          "the header's shape is " + shapeText + ", expected a tuple of non-negative integers",
          file);
    }
    List<Object> items = tuple.items();
    long[] dims = new long[items.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!(items.get(i) instanceof Long n)) {
        throw error("the shape " + shapeText + " has a dimension that is not an integer", file);
      }
      if (n < 0) {
        throw error("the shape " + shapeText + " has a negative dimension", file);
      }
      dims[i] = n;
    }
    return dims;
  }

  private static void checkSize(long[] dims, DType dtype, String shapeText, String file) {
    if (dims[1] > Integer.MAX_VALUE) {
      throw error(
          "the shape " + shapeText + " has more than " + Integer.MAX_VALUE + " columns", file);
    }
    try {
      Math.multiplyExact(Math.multiplyExact(dims[0], dims[1]), dtype.bytes());
    } catch (ArithmeticException e) {
      throw error("the shape " + shapeText + " is too large", file);
    }
  }

  private static String shown(String text) {
    String line = text.strip().lines().collect(Collectors.joining(" "));
    return line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS) + "…";
  }

  static IllegalArgumentException error(String why, String file) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + file + ")");
  }
}
