package org.simheat.viewer.store;

import java.nio.ByteBuffer;

/**
 * Checks the repetition or definition levels of a page, encoded in Parquet's RLE/bit-packed hybrid,
 * run by run rather than value by value: the fast path of {@link VectorGroupDecoder} accepts a page
 * only when every row holds exactly d present values, which a handful of runs per row shows.
 *
 * <p>The hybrid is a sequence of runs, each opening with a ULEB128 header h: h even is an RLE run
 * of h/2 copies of one value stored in ⌈w/8⌉ little-endian bytes; h odd is a bit-packed run of h/2
 * groups of 8 values, w bits each, least significant bit first. Values past the page's count in the
 * last group are padding.
 */
final class LevelRuns {
  /** What the levels must look like; a value that breaks it makes the page unsupported. */
  interface Rule {
    /**
     * Whether {@code count} values equal to {@code value}, from page index {@code at}, are fine.
     */
    boolean accepts(long at, long count, int value);
  }

  private LevelRuns() {}

  /**
   * Scans {@code count} levels of {@code bitWidth} bits from {@code buf} at {@code [start, end)}.
   *
   * @return whether every level satisfies the rule
   */
  static boolean check(ByteBuffer buf, int start, int end, int bitWidth, long count, Rule rule) {
    int pos = start;
    long seen = 0;
    int valueBytes = (bitWidth + 7) / 8;
    while (seen < count) {
      if (pos >= end) {
        return false;
      }
      long header = 0;
      int shift = 0;
      int b;
      do {
        b = buf.get(pos++) & 0xff;
        header |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0 && pos < end && shift < 35);
      if ((header & 1) == 0) {
        long run = header >>> 1;
        int value = 0;
        for (int k = 0; k < valueBytes; k++) {
          value |= (buf.get(pos++) & 0xff) << (8 * k);
        }
        if (!rule.accepts(seen, Math.min(run, count - seen), value)) {
          return false;
        }
        seen += run;
      } else {
        long values = (header >>> 1) * 8;
        long bits = 0;
        for (long u = 0; u < values && seen + u < count; u++, bits += bitWidth) {
          if (!rule.accepts(seen + u, 1, bitsAt(buf, pos, bits, bitWidth))) {
            return false;
          }
        }
        pos += (int) ((header >>> 1) * bitWidth);
        seen += values;
      }
    }
    return pos <= end;
  }

  private static int bitsAt(ByteBuffer buf, int base, long bit, int width) {
    int at = base + (int) (bit >>> 3);
    int shift = (int) (bit & 7);
    int v = (buf.get(at) & 0xff) >>> shift;
    if (shift + width > 8) {
      v |= (buf.get(at + 1) & 0xff) << (8 - shift);
    }
    return v & ((1 << width) - 1);
  }
}
