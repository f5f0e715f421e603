package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.jobs.testing.GoldenMatrix;

class NpyReaderTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "c_f2.npy, 4, 6, F16",
    "c_f4.npy, 5, 3, F32",
    "c_f8.npy, 3, 4, F64",
    "fortran_f4.npy, 5, 3, F32",
    "fortran_f2.npy, 6, 4, F16",
    "big_endian_f4.npy, 4, 3, F32",
    "big_endian_f8_fortran.npy, 4, 5, F64",
    "v2_f4.npy, 5, 3, F32",
    "v3_f4.npy, 5, 3, F32"
  })
  void readsEveryValueAndEveryRowRangeOfGoldenFiles(String name, int rows, int cols, DType dtype)
      throws IOException {
    String file = golden(name);

    MatrixSource m = NpyReader.open(file, CONF);

    assertThat(m).isInstanceOf(StridedMatrixFile.class);
    assertThat(((StridedMatrixFile) m).dtype()).isEqualTo(dtype);
    assertThat(m.describe()).isEqualTo(file);
    MatrixAssertions.assertGolden(m, rows, cols);
  }

  @Test
  void rowRangesOutsideTheMatrixAreRefused() {
    MatrixSource m = NpyReader.open(golden("c_f4.npy"), CONF);

    assertThatThrownBy(() -> m.readRows(3, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> m.readRows(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "vector.npy | expected a 2-D matrix, got shape (3,)",
        "cube.npy | expected a 2-D matrix, got shape (2, 2, 3)",
        "empty.npy | the matrix is empty (0 × 3)",
        "int32.npy | unsupported dtype '<i4', expected float16, float32 or float64",
        "complex64.npy | unsupported dtype '<c8', expected float16, float32 or float64",
        "structured.npy | unsupported dtype [('a', '<f4'), ('b', '<f4')], expected float16",
        "object.npy | unsupported dtype '|O', expected float16, float32 or float64"
      })
  void refusesGoldenFilesThatAreNotFloatMatrices(String name, String why) {
    String file = golden(name);

    assertThatThrownBy(() -> NpyReader.open(file, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read embeddings: " + why)
        .hasMessageEndingWith(" (" + file + ")");
  }

  @Test
  void refusesAWrongMagicNumber() throws IOException {
    byte[] bytes = goldenBytes("c_f4.npy");
    bytes[1] = 'X';

    assertRefused(bytes, "not a .npy file, it does not start with \\x93NUMPY");
    assertRefused("abc".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
  }

  @Test
  void refusesUnknownVersions() throws IOException {
    byte[] bytes = goldenBytes("c_f4.npy");
    bytes[6] = 4;
    assertRefused(bytes, "unsupported .npy format version 4.0, expected 1.0, 2.0 or 3.0");
    bytes[6] = 1;
    bytes[7] = 1;
    assertRefused(bytes, "unsupported .npy format version 1.1");
  }

  @Test
  void refusesAbsurdHeaderLengthsWithoutReadingThem() throws IOException {
    byte[] bytes = goldenBytes("v2_f4.npy");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);

    assertRefused(bytes, "the header length 4294967295 is absurd, at most 1048576 bytes");
  }

  @Test
  void refusesAHeaderLengthPastTheEndOfTheFile() throws IOException {
    byte[] bytes = goldenBytes("c_f4.npy");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000);

    assertRefused(bytes, "the file is truncated, it has 188 bytes but needs 60010");
  }

  @Test
  void refusesTruncatedData() throws IOException {
    byte[] bytes = goldenBytes("fortran_f4.npy");

    assertRefused(
        Arrays.copyOf(bytes, bytes.length - 1),
        "the file is truncated, it has 187 bytes but needs 188");
    assertRefused(Arrays.copyOf(bytes, 9), "the file is truncated, it has 9 bytes but needs 10");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3) "
            + "| the header is not a Python dict literal, ',' or '}' expected at character 56",
        "{'descr': '<f4', 'fortran_order': Nope, 'shape': (2, 3)} "
            + "| the header is not a Python dict literal, unknown value 'Nope'",
        "[1, 2] | the header is not a dict: [1, 2]",
        "{'descr': '<f4', 'fortran_order': False} | the header lacks 'shape'",
        "{'shape': (2, 3), 'fortran_order': False} | the header lacks 'descr'",
        "{'descr': '<f4', 'fortran_order': 'no', 'shape': (2, 3)} "
            + "| the header's fortran_order is 'no', expected True or False",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3)} "
            + "| the shape (-2, 3) has a negative dimension",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5, 3)} "
            + "| the shape (2.5, 3) has a dimension that is not an integer",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (6)} "
            + "| the header's shape is 6, expected a tuple of non-negative integers",
        "{'descr': '<f4', 'fortran_order': False, 'shape': ()} "
            + "| expected a 2-D matrix, got shape ()",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3)} "
            + "| unsupported dtype '<i8', expected float16, float32 or float64",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 2)} "
            + "| the shape (4611686018427387904, 2) is too large",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4294967296)} "
            + "| the shape (1, 4294967296) has more than 2147483647 columns",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3)} "
            + "| the matrix is empty (0 × 3)"
      })
  void refusesBadHeaders(String header, String why) throws IOException {
    assertRefused(npy(1, header.getBytes(StandardCharsets.ISO_8859_1), new byte[24]), why);
  }

  @Test
  void refusesAVersion3HeaderThatIsNotUtf8() throws IOException {
    byte[] header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} \u00ff"
            .getBytes(StandardCharsets.ISO_8859_1);

    assertRefused(npy(3, header, new byte[24]), "the version 3.0 header is not valid UTF-8");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "{'descr': '>f2', 'fortran_order': False, 'shape': (2, 3), } ; BIG_ENDIAN ; 2",
        "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3)} ; LITTLE_ENDIAN ; 4",
        "{'descr': '|f8', 'fortran_order': False, 'shape': (2, 3)} ; LITTLE_ENDIAN ; 8",
        "{u'descr': u'<f4', u'fortran_order': False, u'shape': (2L, 3L)} ; LITTLE_ENDIAN ; 4",
        "{\"descr\": \"f4\", \"shape\": (2, 3), \"fortran_order\": False} ; LITTLE_ENDIAN ; 4"
      })
  void readsHeadersNumpyDoesNotWriteButAccepts(String header, String order, int bytes)
      throws IOException {
    ByteBuffer data = ByteBuffer.allocate(6 * bytes).order(byteOrder(order));
    for (int i = 0; i < 6; i++) {
      float v = GoldenMatrix.value(i / 3, i % 3, 3);
      switch (bytes) {
        case 2 -> data.putShort((short) GoldenMatrix.halfBits(v));
        case 4 -> data.putFloat(v);
        default -> data.putDouble(v);
      }
    }
    Path file = write(npy(3, header.getBytes(StandardCharsets.UTF_8), data.array()));

    MatrixAssertions.assertGolden(NpyReader.open(file.toString(), CONF), 2, 3);
  }

  private static ByteOrder byteOrder(String name) {
    return name.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  private void assertRefused(byte[] bytes, String why) throws IOException {
    Path file = write(bytes);
    assertThatThrownBy(() -> NpyReader.open(file.toString(), CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read embeddings: " + why)
        .hasMessageEndingWith(" (" + file + ")")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(dir, "m", ".npy"), bytes);
  }

  /** A .npy file with the given header bytes (unpadded, as readers must not rely on padding). */
  private static byte[] npy(int major, byte[] header, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      len.putShort((short) header.length);
    } else {
      len.putInt(header.length);
    }
    out.writeBytes(len.array());
    out.writeBytes(header);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static String golden(String name) {
    return GoldenMatrix.path("npy/" + name).toString();
  }

  private static byte[] goldenBytes(String name) throws IOException {
    return Files.readAllBytes(GoldenMatrix.path("npy/" + name));
  }
}
