package org.simheat.jobs.input;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses the Python literal that a {@code .npy} header holds (a dict of strings, booleans, ints and
 * tuples) into Java values: {@code str} → String, {@code int} → Long, {@code float} → Double,
 * {@code True/False} → Boolean, {@code None} → null, tuple → {@link Tuple}, list → List, dict → Map
 * in source order.
 */
final class PythonLiteralParser {
  private static final int MAX_DEPTH = 64;

  /** A Python tuple, kept apart from lists so that it prints as one; items may be null (None). */
  record Tuple(List<Object> items) {}

  /** The text is not a Python literal of the kinds above. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private PythonLiteralParser(String text) {
    this.text = text;
  }

  /**
   * Parses one literal that spans the whole text (surrounding white space allowed).
   *
   * @throws SyntaxException naming what was expected and where
   */
  static Object parse(String text) throws SyntaxException {
    PythonLiteralParser p = new PythonLiteralParser(text);
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.fail("unexpected text after the literal");
    }
    return value;
  }

  /** The value as Python's {@code repr} would print it, for messages. */
  static String repr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Tuple t) {
      String inner = joined(t.items());
      return t.items().size() == 1 ? "(" + inner + ",)" : "(" + inner + ")";
    }
    if (value instanceof List<?> l) {
      return "[" + joined(l) + "]";
    }
    if (value instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  private static String joined(List<?> items) {
    return items.stream().map(PythonLiteralParser::repr).collect(Collectors.joining(", "));
  }

  private Object value(int depth) throws SyntaxException {
    if (depth > MAX_DEPTH) {
      throw fail("nesting deeper than " + MAX_DEPTH);
    }
    skipSpace();
    if (pos >= text.length()) {
      throw fail("a value expected but the text ended");
    }
    char ch = text.charAt(pos);
    return switch (ch) {
      case '{' -> dict(depth);
      case '(' -> tuple(depth);
      case '[' -> list(depth);
      case '\'', '"' -> string();
      default -> atom(ch);
    };
  }

  private Map<Object, Object> dict(int depth) throws SyntaxException {
    Map<Object, Object> map = new LinkedHashMap<>();
    pos++;
    while (!closes('}')) {
      Object key = value(depth + 1);
      skipSpace();
      expect(':');
      map.put(key, value(depth + 1));
      if (!separated('}')) {
        break;
      }
    }
    expect('}');
    return map;
  }

  private Object tuple(int depth) throws SyntaxException {
    List<Object> items = new ArrayList<>();
    boolean trailingComma = false;
    pos++;
    while (!closes(')')) {
      items.add(value(depth + 1));
      trailingComma = separated(')');
      if (!trailingComma) {
        break;
      }
    }
    expect(')');
    return items.size() == 1 && !trailingComma
        ? items.get(0)
        : new Tuple(Collections.unmodifiableList(items));
  }

  private List<Object> list(int depth) throws SyntaxException {
    List<Object> items = new ArrayList<>();
    pos++;
    while (!closes(']')) {
      items.add(value(depth + 1));
      if (!separated(']')) {
        break;
      }
    }
    expect(']');
    return items;
  }

  /** After an item: consumes a comma and returns true, or returns false before the closer. */
  private boolean separated(char closer) throws SyntaxException {
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == ',') {
      pos++;
      return true;
    }
    if (pos < text.length() && text.charAt(pos) == closer) {
      return false;
    }
    throw fail("',' or '" + closer + "' expected");
  }

  private boolean closes(char closer) {
    skipSpace();
    return pos < text.length() && text.charAt(pos) == closer;
  }

  private void expect(char ch) throws SyntaxException {
    skipSpace();
    if (pos >= text.length() || text.charAt(pos) != ch) {
      throw fail("'" + ch + "' expected");
    }
    pos++;
  }

  private String string() throws SyntaxException {
    char quote = text.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char ch = text.charAt(pos++);
      if (ch == quote) {
        return sb.toString();
      }
      if (ch == '\n') {
        break;
      }
      sb.append(ch == '\\' ? escape() : ch);
    }
    throw fail("unterminated string");
  }

  private char escape() throws SyntaxException {
    if (pos >= text.length()) {
      throw fail("unterminated string");
    }
    char ch = text.charAt(pos++);
    return switch (ch) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case '0' -> '\0';
      case 'x' -> hex(2);
      case 'u' -> hex(4);
      default -> ch;
    };
  }

  private char hex(int digits) throws SyntaxException {
    if (pos + digits > text.length()) {
      throw fail("bad escape");
    }
    try {
      char ch = (char) Integer.parseInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return ch;
    } catch (NumberFormatException e) {
      throw fail("bad escape");
    }
  }

  private Object atom(char first) throws SyntaxException {
    if ((first == 'u' || first == 'b')
        && pos + 1 < text.length()
        && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
      pos++;
      return string();
    }
    int start = pos;
    while (pos < text.length() && isAtomChar(text.charAt(pos))) {
      pos++;
    }
    String word = text.substring(start, pos);
    return switch (word) {
      case "True" -> Boolean.TRUE;
      case "False" -> Boolean.FALSE;
      case "None" -> null;
      default -> number(word, start);
    };
  }

  private static boolean isAtomChar(char ch) {
    return Character.isLetterOrDigit(ch) || ch == '.' || ch == '+' || ch == '-' || ch == '_';
  }

  private Object number(String word, int start) throws SyntaxException {
    String digits =
        word.endsWith("L") || word.endsWith("l") ? word.substring(0, word.length() - 1) : word;
    try {
      if (digits.matches("[+-]?[0-9]+")) {
        return Long.parseLong(digits);
      }
      if (digits.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")
          && digits.equals(word)) {
        return Double.parseDouble(digits);
      }
    } catch (NumberFormatException e) {
      pos = start;
      throw fail("integer out of range: " + word);
    }
    pos = start;
    throw fail(word.isEmpty() ? "a value expected" : "unknown value '" + word + "'");
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private SyntaxException fail(String why) {
    return new SyntaxException(why + " at character " + pos);
  }
}
