package org.simheat.jobs.saliency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/**
 * The saliency job on small runs made by the real compute job: tokens against a naive WordPiece,
 * heat against naive similarity of the input vectors, meta against brute-force neighbours.
 */
class SaliencyComputeTest {
  static final List<String> BERT_VOCAB =
      List.of(
          "[PAD]",
          "[UNK]",
          "the",
          "cat",
          "sat",
          "on",
          "mat",
          "play",
          "##ing",
          "##s",
          "un",
          "##believ",
          "##able",
          "unbeliev",
          ".",
          ",",
          "!",
          "a",
          "dog",
          "runs",
          "p",
          "##l",
          "##a");
  static final List<String> PLAIN_VOCAB =
      List.of("The", "the", "cat", "sat", "on", "mat", ".", "!", "dog", "Runs", "a", "b");

  @TempDir static Path tmp;
  static Path bertOut;
  static Path plainOut;
  static float[][] bertVectors;
  static float[][] plainVectors;

  private final SparkSession spark = TestSpark.session();

  @BeforeAll
  static void makeRuns() {
    bertVectors = NaiveSimilarity.gaussian(BERT_VOCAB.size(), 6, 5);
    bertVectors[15] = new float[6]; // a zero row: cosine 0 with everything
    plainVectors = NaiveSimilarity.gaussian(PLAIN_VOCAB.size(), 5, 9);
    bertOut = run("bert", bertVectors, BERT_VOCAB, List.of(Metric.COSINE, Metric.DOT, Metric.L2));
    plainOut = run("plain", plainVectors, PLAIN_VOCAB, List.of(Metric.COSINE, Metric.DOT));
  }

  static Path run(String name, float[][] e, List<String> vocab, List<Metric> metrics) {
    Path input = NpyFiles.write(tmp.resolve(name + ".npy"), e);
    Path v = NpyFiles.vocab(tmp.resolve(name + ".txt"), vocab);
    Path out = tmp.resolve(name + "-out");
    ComputeSpec spec =
        new ComputeSpec(
            InputSpec.of(input.toString()).withVocab(v.toString()),
            out.toString(),
            metrics,
            List.of(Aggregation.MEAN),
            5,
            null,
            ComputeSpec.DEFAULT_CELL_BUDGET,
            0,
            true);
    new ComputeJob(TestSpark.session(), spec).run();
    return out;
  }

  static Path write(String name, String... lines) throws IOException {
    return Files.writeString(tmp.resolve(name), String.join("\n", lines) + "\n");
  }

  static ComputeSaliencySpec spec(Path corpus, Path out, String metric, int w, boolean causal) {
    return new ComputeSaliencySpec(
        corpus.toString(), false, "latest", out.toString(), metric, w, causal, false);
  }

  static Path runDir(Path out) throws IOException {
    return out.resolve(RunLayout.runDir(Files.readString(out.resolve(RunLayout.LATEST)).trim()));
  }

  @Test
  void bertDocumentsMatchNaiveWordPieceSimilarityAndNeighbours() throws Exception {
    String[] lines = {
      "The cat sat on the mat.", "", "  Dogs playing, unbelievable  play!", "a zebra plays"
    };
    Path corpus = write("stories.txt", lines);
    SaliencyCompute.Result r =
        new SaliencyCompute(spark, spec(corpus, bertOut, "cosine", 2, false)).run();
    assertThat(r.documents())
        .extracting(ComputedDocument::doc)
        .containsExactly("stories-1", "stories-3", "stories-4");
    assertMatches("stories-1", lines[0], Metric.COSINE, 2, false, true);
    assertMatches("stories-3", lines[2], Metric.COSINE, 2, false, true);
    assertMatches("stories-4", lines[3], Metric.COSINE, 2, false, true);

    ComputeSaliencySpec causal =
        new ComputeSaliencySpec(
            corpus.toString(), false, "latest", bertOut.toString(), "l2", 1, true, true);
    new SaliencyCompute(spark, causal).run();
    assertMatches("stories-3", lines[2], Metric.L2, 1, true, true);
    SaliencyDocument d = SaliencyFiles.document(runDir(bertOut).resolve("saliency/stories-3"));
    assertThat(d.source().kind()).isEqualTo(SaliencyDocument.SIMILARITY);
    assertThat(d.title()).isEqualTo("Dogs playing, unbelievable play!");
    assertThat(d.facets()).containsExactly("l2, causal window 1");
    assertThat(d.heatLayout()).isEqualTo(SaliencyDocument.DENSE);
  }

  @Test
  void plainVocabulariesSplitWordsAndPunctuationWithExactLookups() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docs"));
    String first = "The cat sat on the mat.\nThe dog Runs!";
    Files.writeString(dir.resolve("First Story.txt"), first);
    Files.writeString(dir.resolve("b.txt"), "runs zebra, cat");
    Files.writeString(dir.resolve("ignored.md"), "not a document");
    ComputeSaliencySpec s =
        new ComputeSaliencySpec(
            dir.toString(), true, "latest", plainOut.toString(), "dot", 3, false, false);
    SaliencyCompute.Result r = new SaliencyCompute(spark, s).run();
    assertThat(r.documents()).extracting(ComputedDocument::doc).containsExactly("b", "first-story");
    assertMatches("first-story", first, Metric.DOT, 3, false, false);
    assertMatches("b", "runs zebra, cat", Metric.DOT, 3, false, false);
  }

  /** Reads a document back and compares every token, meta list and heat row with naive ones. */
  private void assertMatches(String doc, String text, Metric m, int w, boolean causal, boolean bert)
      throws Exception {
    Path dir = runDir(bert ? bertOut : plainOut).resolve(RunLayout.saliencyDir(doc));
    List<SaliencyToken> got = SaliencyFiles.read(dir, doc, false).facets().get(0);
    List<String> vocab = bert ? BERT_VOCAB : PLAIN_VOCAB;
    float[][] vectors = bert ? bertVectors : plainVectors;
    List<TextPiece> want =
        bert ? NaiveTokens.wordPiece(text, vocab) : NaiveTokens.plain(text, vocab);
    assertThat(got.stream().map(SaliencyToken::token).collect(Collectors.joining()))
        .isEqualTo(text);
    assertThat(got)
        .extracting(SaliencyToken::token)
        .containsExactlyElementsOf(want.stream().map(TextPiece::text).toList());
    assertThat(SaliencyFiles.vocabPositions(dir, 0))
        .as("vocab_position: the first vocabulary position of each token, -1 for none")
        .containsExactly(want.stream().mapToInt(TextPiece::position).toArray());
    double[][] s = NaiveSimilarity.matrix(m, vectors, vectors, true);
    List<Integer> words =
        IntStream.range(0, want.size()).filter(i -> !want.get(i).format()).boxed().toList();
    for (int i = 0; i < want.size(); i++) {
      TextPiece p = want.get(i);
      SaliencyToken t = got.get(i);
      assertThat(t.format()).isEqualTo(p.format());
      assertThat(t.hasHeat()).as("token %d has heat", i).isEqualTo(p.known());
      if (!p.known()) {
        assertThat(t.meta()).isEmpty();
        continue;
      }
      assertThat(t.meta())
          .containsExactlyElementsOf(
              NaiveSimilarity.topK(s, p.position(), 3, m, true).stream()
                  .map(n -> vocab.get(n.position()))
                  .toList());
      int k = words.indexOf(i);
      for (int j = 0; j < want.size(); j++) {
        TextPiece q = want.get(j);
        int kj = words.indexOf(j);
        boolean inWindow = kj >= 0 && kj >= k - w && kj <= (causal ? k : k + w);
        double expected = inWindow && q.known() ? s[p.position()][q.position()] : 0;
        assertThat(t.heat()[j]).as("heat[%d][%d]", i, j).isCloseTo((float) expected, within(1e-5f));
      }
    }
  }

  @Test
  void aTwentyThousandTokenDocumentStoresOnlyTheWindowSparsely() throws Exception {
    String[] words = {"the", "cat", "sat", "on", "zebra", "mat"};
    String text =
        IntStream.range(0, 10_001)
            .mapToObj(i -> words[i % words.length])
            .collect(Collectors.joining(" "));
    Path corpus = write("long.txt", text);
    SaliencyCompute.Result r =
        new SaliencyCompute(spark, spec(corpus, plainOut, "cosine", 2, false)).run();
    ComputedDocument d = r.documents().get(0);
    assertThat(d.tokens()).isEqualTo(20_001);
    assertThat(d.sparse()).isTrue();
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, plainVectors, plainVectors, true);
    long expected = 0;
    for (int k = 0; k < 10_001; k++) {
      for (int q = Math.max(0, k - 2); q <= Math.min(10_000, k + 2); q++) {
        int a = PLAIN_VOCAB.indexOf(words[k % 6]);
        int b = PLAIN_VOCAB.indexOf(words[q % 6]);
        expected += a >= 0 && b >= 0 && (float) s[a][b] != 0f ? 1 : 0;
      }
    }
    Path dir = runDir(plainOut).resolve("saliency/long-1");
    assertThat(d.heatRows()).isEqualTo(expected);
    assertThat(SaliencyFiles.heatRows(dir)).isEqualTo(expected);
    assertSparseValues(dir, words, s);
    assertThat(SaliencyFiles.document(dir).heatLayout()).isEqualTo(SaliencyDocument.SPARSE);
  }

  /** Every stored value is the naive one of two words at most 2 apart (tokens 2k are words). */
  private static void assertSparseValues(Path dir, String[] words, double[][] s)
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet r =
            st.executeQuery(
                "SELECT position, target, value FROM read_parquet('"
                    + dir.resolve("heat/*.parquet")
                    + "')")) {
      while (r.next()) {
        int i = r.getInt(1);
        int j = r.getInt(2);
        assertThat(i % 2).isZero();
        assertThat(j % 2).isZero();
        assertThat(Math.abs(i - j)).isLessThanOrEqualTo(4);
        int a = PLAIN_VOCAB.indexOf(words[(i / 2) % 6]);
        int b = PLAIN_VOCAB.indexOf(words[(j / 2) % 6]);
        assertThat(r.getFloat(3)).isCloseTo((float) s[a][b], within(1e-5f));
      }
    }
  }

  @Test
  void aFailedCommitAddsNoDocumentAndKeepsTheExistingOnes() throws Exception {
    Path corpus = write("atomic.txt", "the cat", "the mat", "the dog");
    new SaliencyCompute(spark, spec(corpus, plainOut, "cosine", 1, false)).run();
    Path saliency = runDir(plainOut).resolve(RunLayout.SALIENCY);
    String before = Files.readString(saliency.resolve("atomic-2/document.json"));
    Files.writeString(corpus, "a b\nthe cat sat\nb a\nthe dog\n");
    ComputeSaliencySpec again =
        new ComputeSaliencySpec(
            corpus.toString(), false, "latest", plainOut.toString(), "dot", 1, true, true);
    SaliencyImport.FaultPoint failThird =
        step -> {
          if (step.equals("move atomic-3")) {
            throw new IOException("disk full");
          }
        };
    assertThatThrownBy(() -> new SaliencyCompute(spark, again, failThird).run())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("disk full");
    assertThat(Files.readString(saliency.resolve("atomic-2/document.json"))).isEqualTo(before);
    assertThat(saliency.resolve("atomic-4")).doesNotExist();
    assertThat(saliency.resolve("atomic-1/document.json")).exists();
    assertThat(Files.list(plainOut.resolve(RunLayout.STAGING))).isEmpty();
    assertThat(SaliencyFiles.document(saliency.resolve("atomic-1")).facets())
        .containsExactly("cosine, both-sides window 1");
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws Exception {
    Path corpus = write("errors.txt", "the cat");
    Path empty = tmp.resolve("empty-out");
    assertThatThrownBy(() -> new SaliencyCompute(spark, spec(corpus, empty, null, 2, false)).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(
            "Cannot compute saliency: --run latest, but file:\\S*/empty-out has no LATEST run");
    assertThatThrownBy(
            () -> new SaliencyCompute(spark, spec(corpus, plainOut, "l2", 2, false)).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("Cannot compute saliency: --metric l2: run \\S+ has only cosine, dot");
    Path blank = write("blank.txt", "", "   ", "");
    assertThatThrownBy(
            () -> new SaliencyCompute(spark, spec(blank, plainOut, null, 2, false)).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute saliency: " + blank + " has no text (every document is blank)");
    assertThatThrownBy(
            () ->
                new SaliencyCompute(spark, spec(tmp.resolve("nope.txt"), plainOut, null, 2, false))
                    .run())
        .hasMessage(
            "Cannot compute saliency: --corpus "
                + tmp.resolve("nope.txt")
                + ": no such file or directory");
    new SaliencyCompute(spark, spec(corpus, plainOut, null, 2, false)).run();
    assertThatThrownBy(
            () -> new SaliencyCompute(spark, spec(corpus, plainOut, null, 2, false)).run())
        .hasMessageMatching(
            "Cannot compute saliency: document 'errors-1' already exists \\(.*\\); --force replaces it");
    Path twins = Files.createDirectories(tmp.resolve("twins"));
    Files.writeString(twins.resolve("A b.txt"), "the cat");
    Files.writeString(twins.resolve("a-b.txt"), "the mat");
    ComputeSaliencySpec dup =
        new ComputeSaliencySpec(
            twins.toString(), true, "latest", plainOut.toString(), null, 2, false, true);
    assertThatThrownBy(() -> new SaliencyCompute(spark, dup).run())
        .hasMessage("Cannot compute saliency: two documents have the id 'a-b'");
    assertThat(
            Files.list(runDir(plainOut).resolve(RunLayout.SALIENCY))
                .map(p -> p.getFileName().toString()))
        .doesNotContain("blank-1", "blank-2");
    assertThat(Files.list(plainOut.resolve(RunLayout.STAGING))).isEmpty();
  }

  /** Slow, obvious tokenisers written apart from the job's. */
  static final class NaiveTokens {
    private static final String PUNCT = ".,!?;:'\"()-";

    /** Whitespace runs, single punctuation characters and runs of other characters. */
    static List<String> chunks(String text) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < text.length()) {
        int j = i + 1;
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
          }
        } else if (PUNCT.indexOf(c) < 0) {
          while (j < text.length()
              && !Character.isWhitespace(text.charAt(j))
              && PUNCT.indexOf(text.charAt(j)) < 0) {
            j++;
          }
        }
        out.add(text.substring(i, j));
        i = j;
      }
      return out;
    }

    static List<TextPiece> plain(String text, List<String> vocab) {
      List<TextPiece> out = new ArrayList<>();
      for (String w : chunks(text)) {
        boolean space = w.isBlank();
        out.add(new TextPiece(w, space ? -1 : vocab.indexOf(w), space));
      }
      return out;
    }

    /**
     * Greedy longest match, lowercase (the vocabulary is uncased), [UNK] for a word with no split.
     */
    static List<TextPiece> wordPiece(String text, List<String> vocab) {
      List<TextPiece> out = new ArrayList<>();
      for (String w : chunks(text)) {
        if (w.isBlank()) {
          out.add(new TextPiece(w, -1, true));
          continue;
        }
        String lower = w.toLowerCase();
        List<TextPiece> pieces = new ArrayList<>();
        int start = 0;
        boolean ok = true;
        while (ok && start < w.length()) {
          ok = false;
          for (int end = w.length(); end > start && !ok; end--) {
            String piece = (start > 0 ? "##" : "") + lower.substring(start, end);
            if (vocab.contains(piece)) {
              pieces.add(new TextPiece(w.substring(start, end), vocab.indexOf(piece), false));
              start = end;
              ok = true;
            }
          }
        }
        if (ok) {
          out.addAll(pieces);
        } else {
          out.add(new TextPiece(w, vocab.indexOf("[UNK]"), false));
        }
      }
      return out;
    }
  }
}
