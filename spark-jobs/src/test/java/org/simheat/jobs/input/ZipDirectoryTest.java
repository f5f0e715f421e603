package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.simheat.jobs.input.PtGolden.path;
import static org.simheat.jobs.input.PtGolden.value;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipDirectoryTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  @Test
  void findsStoredDataBehindTorchsAlignedLocalHeaders() throws IOException {
    try (InputFile file = InputFile.open(path("f32.pt").toString(), CONF)) {
      ZipDirectory zip = ZipDirectory.read(file);
      ZipDirectory.Entry storage = zip.entry("f32/data/0");

      assertThat(zip.first().name()).isEqualTo("f32/data.pkl");
      assertThat(storage.method()).isZero();
      assertThat(storage.size()).isEqualTo(5 * 4 * 4);
      ByteBuffer data =
          file.buffer(zip.dataStart(storage), (int) storage.size(), ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 20; i++) {
        assertThat(data.getFloat(i * 4)).isEqualTo(value(i / 4, i % 4, 4));
      }
    }
  }

  @Test
  void readsTheZip64EndRecord() throws IOException {
    List<ZipFixture.Entry> entries = ZipFixture.entries(path("f32.pt"), false);
    for (int i = 0; i < 0x10000; i++) {
      entries.add(ZipFixture.entry("f32/extra/" + i, new byte[0], false));
    }
    byte[] bytes = ZipFixture.zip(entries);
    Path big = Files.write(tmp.resolve("many.pt"), bytes);
    ByteBuffer tail = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(tail.getInt(bytes.length - 22 - 20)).isEqualTo(0x07064b50);

    try (InputFile file = InputFile.open(big.toString(), CONF)) {
      ZipDirectory zip = ZipDirectory.read(file);
      assertThat(zip.entry("f32/extra/65535")).isNotNull();
    }
    PtReaderTest.assertMatrix(
        PtReader.open(big.toString(), null, CONF), 5, 4, (r, c) -> value(r, c, 4));
  }

  @Test
  void refusesEncryptedAndUnknownCompression() throws IOException {
    byte[] bytes = Files.readAllBytes(path("f32.pt"));
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int central = centralEntry(buf, 0);
    buf.putShort(central + 10, (short) 12);
    Path bzip = Files.write(tmp.resolve("bzip.pt"), bytes);

    assertThatThrownBy(() -> PtReader.open(bzip.toString(), null, CONF))
        .hasMessage(
            "Cannot read embeddings: data.pkl 'f32/data.pkl' uses compression method 12, expected"
                + " stored or deflated ("
                + bzip
                + ")");

    buf.putShort(central + 10, (short) 0);
    buf.putShort(central + 8, (short) 1);
    Path locked = Files.write(tmp.resolve("locked.pt"), bytes);
    assertThatThrownBy(() -> PtReader.open(locked.toString(), null, CONF))
        .hasMessageContaining("data.pkl 'f32/data.pkl' is encrypted");
  }

  private static int centralEntry(ByteBuffer buf, int index) {
    int seen = 0;
    for (int p = 0; p + 4 <= buf.limit(); p++) {
      if (buf.getInt(p) == 0x02014b50 && seen++ == index) {
        return p;
      }
    }
    throw new IllegalStateException("no central entry " + index);
  }
}
