package org.simheat.viewer.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;

/**
 * Writes saliency documents exactly as the README's "Output format" lays them out ({@code
 * tokens/part-00000.parquet}, {@code heat/part-<facet>.parquet} when sparse, {@code document.json}
 * last), with parquet-java and no Spark, and keeps what it wrote for tests to compare against.
 */
public final class SaliencyFixture {
  static final String TOKENS_SCHEMA =
      "message spark_schema { required binary doc (STRING); required int32 facet;"
          + " required int32 position; required binary token (STRING); required boolean format;"
          + " required group meta (LIST) { repeated group list { required binary element (STRING); } }"
          + " required group heat (LIST) { repeated group list { required float element; } }"
          + " required boolean has_heat; required int32 vocab_position; }";

  /** The tokens table as written before {@code vocab_position} existed. */
  static final String OLD_TOKENS_SCHEMA =
      TOKENS_SCHEMA.replace(" required int32 vocab_position;", "");

  static final String HEAT_SCHEMA =
      "message spark_schema { required binary doc (STRING); required int32 facet;"
          + " required int32 position; required int32 target; required float value; }";

  /**
   * One token as textualheatmap's JSON has it, its heat row held as the band where it may be
   * non-zero.
   *
   * @param band the heat of positions [bandFrom, bandFrom + band.length), or null for no heat row
   * @param length the text's length
   */
  public record Token(
      String token, String[] meta, int bandFrom, float[] band, int length, boolean format) {

    /** A token with a whole heat row (or none, when null). */
    public static Token of(String token, String[] meta, float[] heat, boolean format) {
      return new Token(token, meta, 0, heat, heat == null ? 0 : heat.length, format);
    }

    /** Its heat row over every position, or null when it has none. */
    public float[] heat() {
      if (band == null) {
        return null;
      }
      float[] row = new float[length];
      System.arraycopy(band, 0, row, bandFrom, band.length);
      return row;
    }
  }

  private SaliencyFixture() {}

  /**
   * Copies the test resources' fixture data directory (one committed run, LATEST) into {@code out}.
   */
  public static void copyFixtureRun(Path out) throws IOException {
    Path from;
    try {
      from = Path.of(SaliencyFixture.class.getResource("/fixture/out/LATEST").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = out.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
  }

  /**
   * Writes a document into {@code saliencyDir/<doc>/} (dense heat unless {@code sparse}), with no
   * vocabulary positions (-1 throughout), as an import writes it.
   *
   * @param facets one list of tokens per facet, all of the same length
   */
  public static SaliencyDocument write(
      Path saliencyDir,
      String doc,
      String title,
      List<String> titles,
      List<List<Token>> facets,
      boolean sparse)
      throws IOException {
    return write(saliencyDir, doc, title, titles, facets, null, sparse);
  }

  /**
   * Writes a dense document into {@code saliencyDir/<doc>/} as it was written before the tokens
   * table had {@code vocab_position}.
   */
  public static SaliencyDocument writeWithoutVocabPositions(
      Path saliencyDir, String doc, String title, List<String> titles, List<List<Token>> facets)
      throws IOException {
    return write(saliencyDir, doc, title, titles, facets, null, false, false);
  }

  /**
   * Writes a document into {@code saliencyDir/<doc>/} (dense heat unless {@code sparse}).
   *
   * @param facets one list of tokens per facet, all of the same length
   * @param vocab each position's {@code vocab_position} (the same in every facet), or null for -1
   */
  public static SaliencyDocument write(
      Path saliencyDir,
      String doc,
      String title,
      List<String> titles,
      List<List<Token>> facets,
      int[] vocab,
      boolean sparse)
      throws IOException {
    return write(saliencyDir, doc, title, titles, facets, vocab, sparse, true);
  }

  private static SaliencyDocument write(
      Path saliencyDir,
      String doc,
      String title,
      List<String> titles,
      List<List<Token>> facets,
      int[] vocab,
      boolean sparse,
      boolean vocabColumn)
      throws IOException {
    Path dir = saliencyDir.resolve(doc);
    Files.createDirectories(dir.resolve(RunLayout.SALIENCY_TOKENS));
    int n = facets.get(0).size();
    float[] range = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    try (ParquetRowWriter out =
        new ParquetRowWriter(
            dir.resolve(RunLayout.SALIENCY_TOKENS).resolve("part-00000.parquet"),
            vocabColumn ? TOKENS_SCHEMA : OLD_TOKENS_SCHEMA,
            16L << 20,
            500)) {
      for (int f = 0; f < facets.size(); f++) {
        for (int i = 0; i < n; i++) {
          Token t = facets.get(f).get(i);
          float[] heat = t.heat() == null ? new float[0] : t.heat();
          for (float v : heat) {
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], v);
          }
          List<Object> row =
              new ArrayList<>(
                  List.of(
                      doc,
                      f,
                      i,
                      t.token(),
                      t.format(),
                      t.meta(),
                      sparse ? new float[0] : heat,
                      t.heat() != null));
          if (vocabColumn) {
            row.add(vocab == null ? -1 : vocab[i]);
          }
          out.write(row.toArray());
        }
      }
    }
    if (sparse) {
      writeHeat(dir, doc, facets);
    }
    SaliencyDocument d =
        new SaliencyDocument(
            SaliencyDocument.FORMAT_VERSION,
            doc,
            title,
            titles,
            n,
            "2026-11-22T12:00:00Z",
            new SaliencyDocument.Source(SaliencyDocument.IMPORT, "file:/tmp/" + doc + ".json"),
            range[0] <= range[1] ? new SaliencyDocument.HeatRange(range[0], range[1]) : null,
            sparse ? SaliencyDocument.SPARSE : SaliencyDocument.DENSE);
    Files.writeString(dir.resolve(RunLayout.SALIENCY_DOCUMENT), d.toJson(), StandardCharsets.UTF_8);
    return d;
  }

  private static void writeHeat(Path dir, String doc, List<List<Token>> facets) throws IOException {
    Files.createDirectories(dir.resolve(RunLayout.SALIENCY_HEAT));
    for (int f = 0; f < facets.size(); f++) {
      Path file =
          dir.resolve(RunLayout.SALIENCY_HEAT)
              .resolve(String.format(Locale.ROOT, "part-%05d.parquet", f));
      try (ParquetRowWriter out = new ParquetRowWriter(file, HEAT_SCHEMA, 4L << 20, 2000)) {
        List<Token> facet = facets.get(f);
        for (int i = 0; i < facet.size(); i++) {
          Token t = facet.get(i);
          for (int j = 0; t.band() != null && j < t.band().length; j++) {
            if (t.band()[j] != 0f) {
              out.write(doc, f, i, t.bandFrom() + j, t.band()[j]);
            }
          }
        }
      }
    }
  }

  /**
   * A seeded text of {@code n} tokens in {@code facets} facets: every fourth token a format token
   * (a space, with no heat), the others words with two meta strings and a heat row that is non-zero
   * only within {@code band} positions of the token (values in [-1, 1) when {@code signed}, else
   * [0, 1)). Token 1 of facet 0 has no heat row.
   */
  public static List<List<Token>> text(int n, int facets, int band, boolean signed, long seed) {
    Random random = new Random(seed);
    List<List<Token>> out = new ArrayList<>();
    for (int f = 0; f < facets; f++) {
      List<Token> facet = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (i % 4 == 3) {
          facet.add(new Token(" ", new String[0], 0, null, n, true));
          continue;
        }
        int from = Math.max(0, i - band);
        float[] heat = null;
        if (!(f == 0 && i == 1)) {
          heat = new float[Math.min(n, i + band + 1) - from];
          for (int j = 0; j < heat.length; j++) {
            float v = random.nextFloat();
            heat[j] = signed ? 2 * v - 1 : v;
          }
        }
        String word = "w" + f + "_" + i;
        facet.add(new Token(word, new String[] {word + "!", "m" + (i % 7)}, from, heat, n, false));
      }
      out.add(out.size(), facet);
    }
    return out;
  }
}
