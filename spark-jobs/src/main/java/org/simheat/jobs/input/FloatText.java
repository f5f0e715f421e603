package org.simheat.jobs.input;

/**
 * Parses one decimal number written by Java, C or numpy as a float32, correctly rounded from the
 * decimal text.
 */
final class FloatText {
  private FloatText() {}

  /**
   * Parses a number: what {@link Float#parseFloat} accepts (including {@code NaN} and {@code
   * Infinity}) except Java's {@code f}/{@code d} type suffixes, plus numpy's {@code nan}, {@code
   * inf} and {@code -inf} in any case.
   *
   * @throws NumberFormatException if the text is not such a number
   */
  static float parse(String text) {
    if (text.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    char first = text.charAt(text.length() > 1 && isSign(text.charAt(0)) ? 1 : 0);
    if (Character.isLetter(first)) {
      return special(text);
    }
    char last = text.charAt(text.length() - 1);
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D') {
      throw new NumberFormatException(text);
    }
    return Float.parseFloat(text);
  }

  private static boolean isSign(char c) {
    return c == '-' || c == '+';
  }

  private static float special(String text) {
    boolean negative = text.charAt(0) == '-';
    String word =
        (isSign(text.charAt(0)) ? text.substring(1) : text).toLowerCase(java.util.Locale.ROOT);
    return switch (word) {
      case "nan" -> Float.NaN;
      case "inf", "infinity" -> negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
      default -> throw new NumberFormatException(text);
    };
  }
}
