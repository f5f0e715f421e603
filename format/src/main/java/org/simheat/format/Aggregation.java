package org.simheat.format;

import java.util.Locale;

/** How a cell pools the similarity values of every pair it covers (diagonal pairs included). */
public enum Aggregation {
  MEAN,
  MAX,
  MIN;

  /** The column name and option value: {@code mean}, {@code max}, {@code min}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses an aggregation name.
   *
   * @throws IllegalArgumentException naming the value and the choices when it is unknown
   */
  public static Aggregation parse(String id) {
    for (Aggregation a : values()) {
      if (a.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "Unknown aggregation '" + id + "': choose from mean, max, min");
  }
}
