package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEmbeddingReaderTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  @Test
  void readsWord2vecTextWithHeaderAndNonAsciiTokens() throws Exception {
    String uri = golden("word2vec.txt").toString();

    LabeledMatrix read = TextEmbeddingReader.read(uri, CONF);

    assertThat(read.tokens()).containsExactly("the", "naïve", "東京", "😀", "café", "Ωmega");
    assertFormula(read.matrix(), 6, 4, 0.25f);
    assertThat(read.matrix().describe()).isEqualTo(uri);
  }

  @Test
  void readsGloveTextWithoutHeaderThroughAFileUri() throws Exception {
    String uri = golden("glove.txt").toUri().toString();

    LabeledMatrix read = TextEmbeddingReader.read(uri, CONF);

    assertThat(read.tokens()).containsExactly("king", "queen", ",", ".", "<unk>");
    assertFormula(read.matrix(), 5, 3, 0.5f);
  }

  @Test
  void acceptsTabsRunsOfSpacesCrlfTrailingBlankLinesAndAByteOrderMark() throws IOException {
    String text = "\uFEFF2 3\r\nα\t0.5   -1e-3 \t2\r\nβ  3.25\t4 -0.0  \r\n\r\n  \n\n";

    LabeledMatrix read = TextEmbeddingReader.read(write("mixed.txt", text), CONF);

    assertThat(read.tokens()).containsExactly("α", "β");
    assertThat(read.matrix().readRows(0, 2)).containsExactly(0.5f, -0.001f, 2f, 3.25f, 4f, -0.0f);
  }

  @Test
  void parsesJavaAndNumpySpellingsOfNanAndInfinity() throws IOException {
    String text = "a NaN Infinity -Infinity\nb nan inf -inf\nc NAN +Inf -INF\n";

    float[] values =
        TextEmbeddingReader.read(write("special.txt", text), CONF).matrix().readRows(0, 3);

    float inf = Float.POSITIVE_INFINITY;
    assertThat(values)
        .containsExactly(Float.NaN, inf, -inf, Float.NaN, inf, -inf, Float.NaN, inf, -inf);
  }

  @Test
  void treatsTwoIntegersAsAHeaderOnlyOnTheFirstLine() throws IOException {
    LabeledMatrix read = TextEmbeddingReader.read(write("ints.txt", "w 1\n7 2\n"), CONF);

    assertThat(read.tokens()).containsExactly("w", "7");
    assertThat(read.matrix().readRows(0, 2)).containsExactly(1f, 2f);
  }

  @Test
  void rejectsARaggedRow() throws IOException {
    String text =
        "a 1 2 3 4 5\nb 1 2 3 4 5\nc 1 2 3 4 5\nd 1 2 3 4 5\ne 1 2 3 4 5\nf 1 2 3 4 5\ng 1 2 3 4\n";
    String uri = write("ragged.txt", text);

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read embeddings: line 7 has 4 values, expected 5 (" + uri + ")");
  }

  @Test
  void rejectsARowDisagreeingWithTheHeaderWidth() throws Exception {
    String uri = fromGolden("wide.txt", "6 4", "6 5");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage(
            "Cannot read embeddings: line 2 has 4 values, expected 5 as the header says ("
                + uri
                + ")");
  }

  @Test
  void rejectsAHeaderCountingTooManyRows() throws Exception {
    String uri = fromGolden("long.txt", "6 4", "7 4");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage(
            "Cannot read embeddings: the header says 7 rows but the file has 6 (" + uri + ")");
  }

  @Test
  void rejectsAHeaderCountingTooFewRows() throws Exception {
    String uri = fromGolden("short.txt", "6 4", "5 4");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage(
            "Cannot read embeddings: the header says 5 rows but the file has more (" + uri + ")");
  }

  @Test
  void rejectsANonNumericValueNamingLineAndColumn() throws Exception {
    String uri = fromGolden("abc.txt", "-2.000000", "abc");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage(
            "Cannot read embeddings: line 3, column 2: 'abc' is not a number (" + uri + ")");
  }

  @Test
  void rejectsJavaTypeSuffixes() throws IOException {
    String uri = write("suffix.txt", "a 1.5 2\nb 1 2f\n");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessageContaining("line 2, column 3: '2f' is not a number");
  }

  @Test
  void rejectsInvalidUtf8NamingTheLine() throws Exception {
    byte[] bytes = Files.readAllBytes(golden("word2vec.txt"));
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("naïve");
    byte[] bad = bytes.clone();
    bad[text.substring(0, at).getBytes(StandardCharsets.UTF_8).length + 1] = (byte) 0xFF;
    Path file = dir.resolve("bad-utf8.txt");
    Files.write(file, bad);

    assertThatThrownBy(() -> TextEmbeddingReader.read(file.toString(), CONF))
        .hasMessage(
            "Cannot read embeddings: line 3 is not valid UTF-8 (byte 0xFF at byte 2 of the line) ("
                + file
                + ")");
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    String uri = write("empty.txt", "");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage("Cannot read embeddings: the matrix is empty (" + uri + ")");
  }

  @Test
  void rejectsAHeaderWithNoRowsAndABlankFile() throws IOException {
    String header = write("header-only.txt", "0 300\n");
    String blank = write("blank.txt", "\n \n\t\n");

    assertThatThrownBy(() -> TextEmbeddingReader.read(header, CONF))
        .hasMessage("Cannot read embeddings: the matrix is empty (" + header + ")");
    assertThatThrownBy(() -> TextEmbeddingReader.read(blank, CONF))
        .hasMessage("Cannot read embeddings: the matrix is empty (" + blank + ")");
  }

  @Test
  void rejectsAnEmptyLineBeforeMoreRows() throws IOException {
    String uri = write("gap.txt", "a 1\n\nb 2\n");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage("Cannot read embeddings: line 2 is empty (" + uri + ")");
  }

  @Test
  void rejectsATokenWithoutValues() throws IOException {
    String uri = write("vocab.txt", "hello\nworld\n");

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage("Cannot read embeddings: line 1 has a token but no values (" + uri + ")");
  }

  @Test
  void rejectsAMissingFile() {
    String uri = dir.resolve("nope.txt").toString();

    assertThatThrownBy(() -> TextEmbeddingReader.read(uri, CONF))
        .hasMessage("Cannot read embeddings: no such file (" + uri + ")");
  }

  private static void assertFormula(MatrixSource matrix, int rows, int dim, float step)
      throws IOException {
    assertThat(matrix.rows()).isEqualTo(rows);
    assertThat(matrix.dim()).isEqualTo(dim);
    float[] values = matrix.readRows(0, rows);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < dim; c++) {
        assertThat(values[r * dim + c]).as("(%d, %d)", r, c).isEqualTo((r * dim + c) * step - 3);
      }
    }
  }

  private static Path golden(String name) throws URISyntaxException {
    return Path.of(TextEmbeddingReaderTest.class.getResource("/golden/text/" + name).toURI());
  }

  /** The golden word2vec file with the first occurrence of {@code from} replaced. */
  private String fromGolden(String name, String from, String to) throws Exception {
    String text = Files.readString(golden("word2vec.txt"));
    int at = text.indexOf(from);
    return write(name, text.substring(0, at) + to + text.substring(at + from.length()));
  }

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }
}
