package org.simheat.jobs.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive, read with positioned reads so that a multi-gigabyte
 * archive on any Hadoop file system is never read whole.
 *
 * <p>The lookup goes end-of-central-directory record (searched backwards over the trailing
 * comment), then the ZIP64 end record when its locator precedes it, then one central-directory
 * entry per file, whose ZIP64 extra field overrides saturated sizes and offsets. Where an entry's
 * data starts is known only after reading its local header (name and extra field lengths may differ
 * from the central copy), so {@link #dataStart} reads it on demand.
 */
final class ZipDirectory {
  private static final int EOCD_SIG = 0x06054b50;
  private static final int EOCD64_LOCATOR_SIG = 0x07064b50;
  private static final int EOCD64_SIG = 0x06064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int LOCAL_SIG = 0x04034b50;
  private static final int EOCD_SIZE = 22;
  private static final int MAX_COMMENT = 0xffff;
  private static final long MAX_DIRECTORY = 256L << 20;
  private static final long SATURATED = 0xffffffffL;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;

  /**
   * One file in the archive.
   *
   * @param name the entry name
   * @param method 0 stored, 8 deflated
   * @param flags general-purpose flags (bit 0: encrypted)
   * @param compressedSize bytes stored in the archive
   * @param size bytes once decompressed
   * @param localHeader offset of the entry's local header
   */
  record Entry(
      String name, int method, int flags, long compressedSize, long size, long localHeader) {}

  private final InputFile file;
  private final Map<String, Entry> entries;

  private ZipDirectory(InputFile file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /**
   * Reads the central directory of a zip archive.
   *
   * @throws IllegalArgumentException if the file is not a zip archive, is truncated, or its
   *     directory is malformed (naming the file)
   * @throws IOException if the file system fails
   */
  static ZipDirectory read(InputFile file) throws IOException {
    long eocd = findEndRecord(file);
    ByteBuffer end = file.buffer(eocd, EOCD_SIZE, ByteOrder.LITTLE_ENDIAN);
    long count = end.getShort(10) & 0xffff;
    long size = end.getInt(12) & SATURATED;
    long offset = end.getInt(16) & SATURATED;
    if (eocd >= 20
        && file.buffer(eocd - 20, 4, ByteOrder.LITTLE_ENDIAN).getInt(0) == EOCD64_LOCATOR_SIG) {
      long eocd64 = file.buffer(eocd - 20, 20, ByteOrder.LITTLE_ENDIAN).getLong(8);
      ByteBuffer end64 = file.buffer(eocd64, 56, ByteOrder.LITTLE_ENDIAN);
      require(end64.getInt(0) == EOCD64_SIG, "the ZIP64 end record is missing", file);
      count = end64.getLong(32);
      size = end64.getLong(40);
      offset = end64.getLong(48);
    }
    require(
        size >= 0 && size <= MAX_DIRECTORY,
        "the central directory size " + size + " is not sane",
        file);
    require(
        offset >= 0 && offset + size <= eocd, "the central directory lies outside the file", file);
    ByteBuffer dir = file.buffer(offset, (int) size, ByteOrder.LITTLE_ENDIAN);
    return new ZipDirectory(file, parseEntries(dir, count, file));
  }

  /** The entry with this exact name, or null. */
  Entry entry(String name) {
    return entries.get(name);
  }

  /** The first entry in directory order, or null for an empty archive. */
  Entry first() {
    return entries.isEmpty() ? null : entries.values().iterator().next();
  }

  /** The archive file. */
  InputFile file() {
    return file;
  }

  /**
   * Where the entry's (possibly compressed) data starts, from its local header.
   *
   * @throws IllegalArgumentException if the local header is missing or the data runs past the end
   */
  long dataStart(Entry e) throws IOException {
    ByteBuffer local = file.buffer(e.localHeader(), 30, ByteOrder.LITTLE_ENDIAN);
    require(local.getInt(0) == LOCAL_SIG, "entry '" + e.name() + "' has no local header", file);
    long start =
        e.localHeader() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
    file.requireLength(start + e.compressedSize());
    return start;
  }

  /**
   * Reads an entry whole, inflating it when it is deflated. A deflated entry is inflated to at most
   * its declared size, so a zip bomb cannot make it grow.
   *
   * @param what what the entry holds, for messages
   * @param cap the largest size accepted, in bytes
   * @throws IllegalArgumentException if the entry is encrypted, uses another compression method,
   *     declares a size above {@code cap}, or does not inflate to exactly its declared size
   */
  byte[] readBytes(Entry e, String what, long cap) throws IOException {
    require(
        (e.flags() & 1) == 0,
        what + " '" + e.name() + "' is encrypted, which is not supported",
        file);
    require(
        e.size() <= cap,
        what + " '" + e.name() + "' declares " + e.size() + " bytes, more than the limit of " + cap,
        file);
    long start = dataStart(e);
    if (e.method() == STORED) {
      require(
          e.compressedSize() == e.size(),
          "stored entry '" + e.name() + "' has different stored and declared sizes",
          file);
      return file.read(start, (int) e.size());
    }
    require(
        e.method() == DEFLATED,
        what
            + " '"
            + e.name()
            + "' uses compression method "
            + e.method()
            + ", expected stored or deflated",
        file);
    return new BoundedInflater(file, e).inflate(start);
  }

  private static long findEndRecord(InputFile file) throws IOException {
    long len = file.length();
    int tail = (int) Math.min(len, EOCD_SIZE + MAX_COMMENT);
    ByteBuffer buf = file.buffer(len - tail, tail, ByteOrder.LITTLE_ENDIAN);
    for (int i = tail - EOCD_SIZE; i >= 0; i--) {
      if (buf.getInt(i) == EOCD_SIG && i + EOCD_SIZE + (buf.getShort(i + 20) & 0xffff) == tail) {
        return len - tail + i;
      }
    }
    boolean zipStart =
        len >= 4 && file.buffer(0, 4, ByteOrder.LITTLE_ENDIAN).getInt(0) == LOCAL_SIG;
    throw new IllegalArgumentException(
        "Cannot read embeddings: "
            + (zipStart
                ? "the zip archive is truncated or damaged, it has no end-of-central-directory record"
                : "it is not a zip archive; only the zip format of torch.save (torch 1.6+) is supported")
            + " ("
            + file.uri()
            + ")");
  }

  private static Map<String, Entry> parseEntries(ByteBuffer dir, long count, InputFile file) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    int pos = 0;
    for (long i = 0; i < count; i++) {
      require(
          pos + 46 <= dir.limit() && dir.getInt(pos) == CENTRAL_SIG,
          "central directory entry " + i + " is malformed",
          file);
      int nameLen = dir.getShort(pos + 28) & 0xffff;
      int extraLen = dir.getShort(pos + 30) & 0xffff;
      int commentLen = dir.getShort(pos + 32) & 0xffff;
      require(
          pos + 46 + nameLen + extraLen + commentLen <= dir.limit(),
          "central directory entry " + i + " is malformed",
          file);
      Entry e = parseEntry(dir, pos, nameLen, extraLen, file);
      entries.putIfAbsent(e.name(), e);
      pos += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  }

  private static Entry parseEntry(
      ByteBuffer dir, int pos, int nameLen, int extraLen, InputFile file) {
    byte[] nameBytes = new byte[nameLen];
    dir.get(pos + 46, nameBytes);
    String name = new String(nameBytes, StandardCharsets.UTF_8);
    long[] wide = {
      dir.getInt(pos + 24) & SATURATED,
      dir.getInt(pos + 20) & SATURATED,
      dir.getInt(pos + 42) & SATURATED
    };
    applyZip64(dir, pos + 46 + nameLen, extraLen, wide);
    require(
        wide[0] >= 0 && wide[1] >= 0 && wide[2] >= 0,
        "entry '" + name + "' has a negative size or offset",
        file);
    int method = dir.getShort(pos + 10) & 0xffff;
    int flags = dir.getShort(pos + 8) & 0xffff;
    return new Entry(name, method, flags, wide[1], wide[0], wide[2]);
  }

  /** Replaces saturated {size, compressed size, offset} values from the ZIP64 extra field. */
  private static void applyZip64(ByteBuffer dir, int start, int len, long[] wide) {
    int p = start;
    while (p + 4 <= start + len) {
      int id = dir.getShort(p) & 0xffff;
      int size = dir.getShort(p + 2) & 0xffff;
      if (id == 0x0001) {
        int q = p + 4;
        for (int k = 0; k < wide.length && q + 8 <= p + 4 + size && q + 8 <= start + len; k++) {
          if (wide[k] == SATURATED) {
            wide[k] = dir.getLong(q);
            q += 8;
          }
        }
        return;
      }
      p += 4 + size;
    }
  }

  static void require(boolean ok, String why, InputFile file) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot read embeddings: " + why + " (" + file.uri() + ")");
    }
  }
}
