package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.simheat.jobs.input.PtGolden.path;
import static org.simheat.jobs.input.PtGolden.value;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PtReaderTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  /** The expected element (r, c) of a matrix. */
  @FunctionalInterface
  interface Expected {
    float at(int r, int c);
  }

  static MatrixSource open(Path file, String tensor) {
    return PtReader.open(file.toString(), tensor, CONF);
  }

  static void assertMatrix(MatrixSource m, int rows, int dim, Expected expected)
      throws IOException {
    assertThat(m.rows()).isEqualTo(rows);
    assertThat(m.dim()).isEqualTo(dim);
    float[] all = m.readRows(0, rows);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < dim; c++) {
        assertThat(all[r * dim + c]).as("(%d, %d)", r, c).isEqualTo(expected.at(r, c));
      }
    }
    int start = rows / 2 - 1;
    float[] middle = m.readRows(start, 2);
    assertThat(middle).containsExactly(Arrays.copyOfRange(all, start * dim, (start + 2) * dim));
  }

  /** Element (i, j) of the 8 × 6 base matrix the view files were cut from. */
  static float base(int i, int j) {
    return value(i, j, 6);
  }

  @ParameterizedTest
  @CsvSource({"f32.pt, F32", "f16.pt, F16", "bf16.pt, BF16", "f64.pt, F64"})
  void readsEveryFloatingDtype(String file, DType dtype) throws IOException {
    MatrixSource m = open(path(file), null);

    assertThat(m).isInstanceOf(StridedMatrixFile.class);
    assertThat(((StridedMatrixFile) m).dtype()).isEqualTo(dtype);
    assertThat(m.describe()).isEqualTo(path(file).toString());
    assertMatrix(m, 5, 4, (r, c) -> value(r, c, 4));
  }

  @Test
  void readsABigEndianArchive() throws IOException {
    assertMatrix(open(path("big.pt"), null), 5, 4, (r, c) -> value(r, c, 4));
  }

  @Test
  void readsNamedTensorsOfAStateDict() throws IOException {
    Path sd = path("state_dict.pt");

    MatrixSource emb = open(sd, "emb.weight");
    assertThat(emb.describe()).isEqualTo(sd + " [emb.weight]");
    assertMatrix(emb, 6, 4, (r, c) -> value(r, c, 4));
    assertMatrix(open(sd, "lin.weight"), 3, 4, (r, c) -> value(r, c, 4) + 1);
  }

  @Test
  void asksForATensorWhenSeveralFit() {
    Path sd = path("state_dict.pt");

    assertThatThrownBy(() -> open(sd, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read embeddings: 2 2-D tensors fit, choose one with --tensor: emb.weight,"
                + " lin.weight ("
                + sd
                + ")");
    assertThatThrownBy(() -> open(sd, "emb"))
        .hasMessage(
            "Cannot read embeddings: no tensor 'emb' in the file; 2-D tensors: emb.weight,"
                + " lin.weight ("
                + sd
                + ")");
    assertThatThrownBy(() -> open(sd, "lin.bias"))
        .hasMessage(
            "Cannot read embeddings: tensor 'lin.bias' has 1 dimension [3], expected 2 ("
                + sd
                + ")");
  }

  @Test
  void joinsNestedDictKeysWithDots() throws IOException {
    Path nested = path("nested.pt");

    MatrixSource only = open(nested, null);
    assertThat(only.describe()).isEqualTo(nested + " [model.emb.weight]");
    assertMatrix(only, 4, 3, (r, c) -> value(r, c, 3));
    assertMatrix(open(nested, "model.emb.weight"), 4, 3, (r, c) -> value(r, c, 3));
    assertThatThrownBy(() -> open(nested, "model.pos"))
        .hasMessage(
            "Cannot read embeddings: tensor 'model.pos' has unsupported dtype 'int64', expected"
                + " float16, bfloat16, float32 or float64 ("
                + nested
                + ")");
  }

  @Test
  void readsATransposedView() throws IOException {
    assertMatrix(open(path("transpose.pt"), null), 6, 8, (r, c) -> base(c, r));
  }

  @Test
  void readsARowSliceWithAStorageOffset() throws IOException {
    assertMatrix(open(path("rows.pt"), null), 5, 6, (r, c) -> base(r + 2, c));
  }

  @Test
  void readsAColumnSlice() throws IOException {
    assertMatrix(open(path("cols.pt"), null), 8, 3, (r, c) -> base(r, c + 1));
  }

  @Test
  void readsASteppedSlice() throws IOException {
    assertMatrix(open(path("step.pt"), null), 4, 6, (r, c) -> base(2 * r, c));
  }

  @Test
  void refusesIntegerTensors() {
    Path file = path("int64.pt");

    assertThatThrownBy(() -> open(file, null))
        .hasMessage(
            "Cannot read embeddings: the tensor has unsupported dtype 'int64', expected float16,"
                + " bfloat16, float32 or float64 ("
                + file
                + ")");
  }

  @Test
  void refusesPicklesThatImportAnythingButTensors() {
    Path file = path("evil.pt");

    assertThatThrownBy(() -> open(file, null))
        .hasMessage(
            "Cannot read embeddings: the pickle imports 'posix.system', which is not a tensor ("
                + file
                + ")");
  }

  @Test
  void reportsATruncatedFile() throws IOException {
    byte[] whole = Files.readAllBytes(path("f32.pt"));
    Path cut = Files.write(tmp.resolve("cut.pt"), Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> open(cut, null))
        .hasMessage(
            "Cannot read embeddings: the zip archive is truncated or damaged, it has no"
                + " end-of-central-directory record ("
                + cut
                + ")");
  }

  @Test
  void reportsAFileThatIsNotAZip() throws IOException {
    Path text = Files.writeString(tmp.resolve("e.pt"), "these are not embeddings\n");

    assertThatThrownBy(() -> open(text, null))
        .hasMessage(
            "Cannot read embeddings: it is not a zip archive; only the zip format of torch.save"
                + " (torch 1.6+) is supported ("
                + text
                + ")");
  }

  @Test
  void reportsAZipThatIsNotATorchFile() throws IOException {
    Path zip = tmp.resolve("other.pt");
    Files.write(zip, ZipFixture.zip(ZipFixture.entry("other/readme.txt", "hi".getBytes(), false)));

    assertThatThrownBy(() -> open(zip, null))
        .hasMessage(
            "Cannot read embeddings: the zip archive has no entry 'other/data.pkl', so it is not"
                + " a torch.save file ("
                + zip
                + ")");
  }

  @Test
  void reportsAFileWithoutTensorsEvenWhenItsDictHoldsItself() throws IOException {
    Path loop = tmp.resolve("loop.pt");
    byte[] pickle = HexFormat.of().parseHex("80027d7100580400000073656c6671016800732e");
    Files.write(loop, ZipFixture.zip(ZipFixture.entry("loop/data.pkl", pickle, false)));

    assertThatThrownBy(() -> open(loop, null))
        .hasMessage("Cannot read embeddings: the file holds no tensor (" + loop + ")");
  }

  @Test
  void inflatesDeflatedEntriesIntoMemory() throws IOException {
    Path deflated = tmp.resolve("cols.pt");
    Files.write(deflated, ZipFixture.deflate(path("cols.pt")));

    MatrixSource m = open(deflated, null);

    assertThat(m).isInstanceOf(DenseMatrix.class);
    assertMatrix(m, 8, 3, (r, c) -> base(r, c + 1));
  }

  @Test
  void refusesAStorageThatDeclaresAHugeSize() throws IOException {
    Path bomb = tmp.resolve("bomb.pt");
    byte[] zip = ZipFixture.deflate(path("f32.pt"));
    ZipFixture.declareSize(zip, "f32/data/0", 0xfffffff0L);
    Files.write(bomb, zip);

    assertThatThrownBy(() -> open(bomb, null))
        .hasMessage(
            "Cannot read embeddings: storage 'f32/data/0' declares 4294967280 bytes, more than"
                + " the limit of 2147483639 ("
                + bomb
                + ")");
  }

  @Test
  void neverInflatesPastTheDeclaredSize() throws IOException {
    Path bomb = tmp.resolve("bomb.pt");
    byte[] zip = ZipFixture.deflate(path("f32.pt"));
    ZipFixture.declareSize(zip, "f32/data.pkl", 16);
    Files.write(bomb, zip);

    assertThatThrownBy(() -> open(bomb, null))
        .hasMessage(
            "Cannot read embeddings: deflated entry 'f32/data.pkl' inflates to more than its"
                + " declared 16 bytes ("
                + bomb
                + ")");
  }

  @Test
  void reportsAnEntryThatInflatesToLessThanDeclared() throws IOException {
    Path shortfall = tmp.resolve("short.pt");
    byte[] zip = ZipFixture.deflate(path("f32.pt"));
    ZipFixture.declareSize(zip, "f32/data.pkl", 10_000);
    Files.write(shortfall, zip);

    assertThatThrownBy(() -> open(shortfall, null))
        .hasMessageMatching(
            "Cannot read embeddings: deflated entry 'f32/data.pkl' inflates to \\d+ bytes, not its"
                + " declared 10000 \\(.*short.pt\\)");
  }

  @Test
  void reportsAMissingFile() {
    Path missing = tmp.resolve("missing.pt");

    assertThatThrownBy(() -> open(missing, null)).hasMessageContaining("no such file");
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    MatrixSource m = open(path("rows.pt"), null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }

    MatrixSource copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (MatrixSource) in.readObject();
    }

    assertThat(copy).isInstanceOf(StridedMatrixFile.class);
    assertThat(copy.describe()).isEqualTo(m.describe());
    assertMatrix(copy, 5, 6, (r, c) -> base(r + 2, c));
  }
}
