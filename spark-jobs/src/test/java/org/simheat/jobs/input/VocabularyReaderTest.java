package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyReaderTest {
  private static final Configuration CONF = new Configuration();

  private static final List<String> BERT =
      List.of(
          "[PAD]",
          "[unused0]",
          "[UNK]",
          "[CLS]",
          "[SEP]",
          "[MASK]",
          "!",
          "the",
          "##s",
          "naïve",
          "東京",
          "##ing",
          "😀");
  private static final List<String> GPT2 =
      List.of("!", "\"", "Ġ", "t", "h", "e", "Ġt", "he", "Ġthe", "Ġcafé", "ĊĊ", "<|endoftext|>");
  private static final List<String> UNIGRAM =
      List.of(
          "<pad>", "</s>", "<unk>", "▁", "▁the", "s", "▁東京", "é", "<extra_id_0>", "<extra_id_1>");

  @TempDir Path dir;

  @Test
  void readsAWordPieceTokenizerWhoseVocabIsOutOfIdOrder() throws Exception {
    assertThat(VocabularyReader.read(golden("wordpiece-tokenizer.json"), CONF))
        .containsExactlyElementsOf(BERT);
  }

  @Test
  void readsABpeTokenizerExtendedByAnAddedToken() throws Exception {
    assertThat(VocabularyReader.read(golden("bpe-tokenizer.json"), CONF))
        .containsExactlyElementsOf(GPT2);
  }

  @Test
  void readsAUnigramTokenizerWithAddedTokens() throws Exception {
    assertThat(VocabularyReader.read(golden("unigram-tokenizer.json"), CONF))
        .containsExactlyElementsOf(UNIGRAM);
  }

  @Test
  void readsAGpt2VocabJsonWithEscapes() throws Exception {
    assertThat(VocabularyReader.read(golden("vocab.json"), CONF)).containsExactlyElementsOf(GPT2);
  }

  @Test
  void readsAnyJsonByItsShape() throws Exception {
    String tokenizer = copy("wordpiece-tokenizer.json", "bert.json");
    String flat = copy("vocab.json", "encoder.JSON");

    assertThat(VocabularyReader.read(tokenizer, CONF)).containsExactlyElementsOf(BERT);
    assertThat(VocabularyReader.read(flat, CONF)).containsExactlyElementsOf(GPT2);
  }

  @Test
  void readsABertVocabTxt() throws Exception {
    assertThat(VocabularyReader.read(golden("vocab.txt"), CONF)).containsExactlyElementsOf(BERT);
  }

  @Test
  void readsAnXlHeatmapTxtKeepingEmptyAndRepeatedLines() throws Exception {
    assertThat(VocabularyReader.read(golden("xl-heatmap.txt"), CONF))
        .containsExactly("alpha", "", "beta", "alpha", "γάμμα", " spaced ");
  }

  @Test
  void readsCrlfText() throws Exception {
    assertThat(VocabularyReader.read(Path.of(golden("crlf.txt")).toUri().toString(), CONF))
        .containsExactly("first", "second", "", "fourth");
  }

  @Test
  void countsEveryLineButAFinalNewline() throws IOException {
    assertThat(VocabularyReader.read(write("nl.txt", "\n"), CONF)).containsExactly("");
    assertThat(VocabularyReader.read(write("two.txt", "a\n\n"), CONF)).containsExactly("a", "");
    assertThat(VocabularyReader.read(write("cr.txt", "a\rb\r\n"), CONF)).containsExactly("a\rb");
  }

  @Test
  void readsTheRealAllMiniLmTokenizer() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      Files.copy(in, file);
    }

    List<String> tokens = VocabularyReader.read(file.toString(), CONF);

    assertThat(tokens).hasSize(30522);
    assertThat(tokens.get(0)).isEqualTo("[PAD]");
    assertThat(tokens.subList(100, 104)).containsExactly("[UNK]", "[CLS]", "[SEP]", "[MASK]");
    assertThat(tokens.get(1996)).isEqualTo("the");
    assertThat(tokens.get(30521)).isEqualTo("##～");
  }

  @Test
  void rejectsAnUnsupportedTokenizerModel() throws IOException {
    String uri =
        write("tokenizer.json", "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}}}");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read vocabulary: tokenizer model type 'WordLevel' is not supported, expected"
                + " WordPiece, BPE or Unigram ("
                + uri
                + ")");
  }

  @Test
  void rejectsATokenizerModelWithoutType() throws IOException {
    String uri = write("tokenizer.json", "{\"model\": {\"vocab\": {\"a\": 0}}}");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage(
            "Cannot read vocabulary: the tokenizer model has no type, expected WordPiece, BPE or"
                + " Unigram ("
                + uri
                + ")");
  }

  @Test
  void rejectsAVocabOfTheWrongShapeForItsModel() throws IOException {
    String uri =
        write("tokenizer.json", "{\"model\": {\"type\": \"Unigram\", \"vocab\": {\"a\": 0}}}");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage(
            "Cannot read vocabulary: tokenizer model 'Unigram' has no vocab of the form a list of"
                + " [token, score] pairs ("
                + uri
                + ")");
  }

  @Test
  void rejectsAGapInTheIds() throws IOException {
    String uri = write("vocab.json", "{\"a\": 0, \"b\": 1, \"c\": 3, \"d\": 4}");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage(
            "Cannot read vocabulary: ids must run from 0 to 3 without gaps, but id 2 is missing"
                + " (largest id 4) ("
                + uri
                + ")");
  }

  @Test
  void rejectsAGapLeftByAddedTokens() throws IOException {
    String json =
        "{\"added_tokens\": [{\"id\": 5, \"content\": \"<x>\"}],"
            + " \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}}}";
    String uri = write("tokenizer.json", json);

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessageContaining("but id 2 is missing (largest id 5)");
  }

  @Test
  void rejectsTwoTokensSharingAnId() throws IOException {
    String uri = write("vocab.json", "{\"a\": 0, \"b\": 0}");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage("Cannot read vocabulary: 'a' and 'b' both have id 0 (" + uri + ")");
  }

  @Test
  void rejectsJsonThatIsNeitherShape() throws IOException {
    String flat = write("vocab.json", "{\"a\": 0, \"version\": \"1.0\"}");
    String named = write("tokenizer.json", "{\"a\": 0}");
    String negative = write("neg.json", "{\"a\": -1}");
    String empty = write("empty.json", "{}");

    assertThatThrownBy(() -> VocabularyReader.read(flat, CONF))
        .hasMessageContaining("but 'version' does not hold an integer id (" + flat + ")");
    assertThatThrownBy(() -> VocabularyReader.read(named, CONF))
        .hasMessage(
            "Cannot read vocabulary: no \"model\" object, so it is not a Hugging Face"
                + " tokenizer.json ("
                + named
                + ")");
    assertThatThrownBy(() -> VocabularyReader.read(negative, CONF))
        .hasMessageContaining("token 'a' has id -1, expected 0 or more");
    assertThatThrownBy(() -> VocabularyReader.read(empty, CONF))
        .hasMessage("Cannot read vocabulary: the file holds no tokens (" + empty + ")");
  }

  @Test
  void rejectsMalformedJsonNamingWhere() throws Exception {
    String text = Files.readString(Path.of(golden("vocab.json")));
    String uri = write("cut.json", text.substring(0, text.indexOf("\"he\"")));

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessageStartingWith("Cannot read vocabulary: invalid JSON at line 9, column ")
        .hasMessageEndingWith("(" + uri + ")");
  }

  @Test
  void rejectsInvalidUtf8TextNamingTheLine() throws IOException {
    Path file = dir.resolve("latin1.txt");
    Files.write(file, "ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> VocabularyReader.read(file.toString(), CONF))
        .hasMessage(
            "Cannot read vocabulary: line 2 is not valid UTF-8 (byte 0xE9 at byte 4 of the line) ("
                + file
                + ")");
  }

  @Test
  void rejectsAnEmptyTextFile() throws IOException {
    String uri = write("empty.txt", "");

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage("Cannot read vocabulary: the file is empty (" + uri + ")");
  }

  @Test
  void rejectsAMissingFile() {
    String uri = dir.resolve("missing.txt").toString();

    assertThatThrownBy(() -> VocabularyReader.read(uri, CONF))
        .hasMessage("Cannot read vocabulary: no such file (" + uri + ")");
  }

  private static String golden(String name) throws URISyntaxException {
    return Path.of(VocabularyReaderTest.class.getResource("/golden/vocab/" + name).toURI())
        .toString();
  }

  private String copy(String golden, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.copy(Path.of(golden(golden)), file);
    return file.toString();
  }

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }
}
