package org.simheat.jobs.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Zip archives built in tests with java.util.zip, and byte patches that damage them. */
public final class ZipFixture {
  private ZipFixture() {}

  /** One entry to write. */
  public record Entry(String name, byte[] data, boolean deflated) {}

  public static Entry entry(String name, byte[] data, boolean deflated) {
    return new Entry(name, data, deflated);
  }

  /** An archive of the given entries, in order. */
  public static byte[] zip(Entry... entries) throws IOException {
    return zip(List.of(entries));
  }

  /** An archive of the given entries, in order. */
  static byte[] zip(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Entry e : entries) {
        ZipEntry z = new ZipEntry(e.name());
        if (e.deflated()) {
          z.setMethod(ZipEntry.DEFLATED);
        } else {
          CRC32 crc = new CRC32();
          crc.update(e.data());
          z.setMethod(ZipEntry.STORED);
          z.setSize(e.data().length);
          z.setCompressedSize(e.data().length);
          z.setCrc(crc.getValue());
        }
        out.putNextEntry(z);
        out.write(e.data());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The entries of an archive, in order. */
  static List<Entry> entries(Path zip, boolean deflated) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (ZipFile in = new ZipFile(zip.toFile())) {
      for (ZipEntry z : Collections.list(in.entries())) {
        entries.add(entry(z.getName(), in.getInputStream(z).readAllBytes(), deflated));
      }
    }
    return entries;
  }

  /** The same archive with every entry deflated. */
  public static byte[] deflate(Path zip) throws IOException {
    return zip(entries(zip, true));
  }

  /** Overwrites the uncompressed size the central directory declares for an entry. */
  public static void declareSize(byte[] zip, String name, long size) {
    ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p + 46 <= zip.length; p++) {
      if (buf.getInt(p) == 0x02014b50
          && (buf.getShort(p + 28) & 0xffff) == wanted.length
          && ByteBuffer.wrap(zip, p + 46, wanted.length).equals(ByteBuffer.wrap(wanted))) {
        buf.putInt(p + 24, (int) size);
        return;
      }
    }
    throw new IllegalStateException("no central directory entry " + name);
  }
}
