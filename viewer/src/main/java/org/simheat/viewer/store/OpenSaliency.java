package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.lt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.simheat.format.Columns;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;

/**
 * The tables of one saliency document, read by position: a window of tokens of every facet (never
 * their heat), and one token's heat row, from {@code tokens.heat} (dense) or from the rows of
 * {@code heat/} for that position (sparse). Both reads are pruned by the tables' sort order (facet,
 * position[, target]): a window touches the pages of its positions, a heat row the pages of one
 * token, so their cost follows the answer's size, not the document's.
 */
public final class OpenSaliency {
  private static final List<String> WINDOW_COLUMNS =
      List.of(
          Columns.FACET,
          Columns.POSITION,
          Columns.TOKEN,
          Columns.FORMAT,
          Columns.META,
          Columns.HAS_HEAT);
  private static final List<String> OCCURRENCE_COLUMNS =
      List.of(Columns.FACET, Columns.POSITION, Columns.VOCAB_POSITION);
  private static final List<String> DENSE_COLUMNS =
      List.of(Columns.FACET, Columns.POSITION, Columns.HAS_HEAT, Columns.HEAT);
  private static final List<String> FLAG_COLUMNS =
      List.of(Columns.FACET, Columns.POSITION, Columns.HAS_HEAT);
  private static final List<String> SPARSE_COLUMNS =
      List.of(Columns.FACET, Columns.POSITION, Columns.TARGET, Columns.VALUE);

  private final SaliencyDocument document;
  private final ParquetTable tokens;
  private final ParquetTable heat;

  /**
   * One token of a window.
   *
   * @param token its text
   * @param format whether it is shown but not focusable
   * @param meta what is shown above the text when it is focused
   * @param hasHeat whether it has a heat row
   * @param vocabPosition its position in the run's vocabulary, -1 for none (an imported document,
   *     one written before the column existed, a format or unknown token)
   */
  public record Token(
      String token, boolean format, List<String> meta, boolean hasHeat, int vocabPosition) {}

  /**
   * Where a vocabulary position occurs in the document's first facet.
   *
   * @param first the first text position holding it, -1 when none does
   * @param count how many text positions hold it
   */
  public record Occurrences(int first, int count) {}

  /**
   * One token's heat row: dense values over every position, or the non-zero (target, value) pairs.
   *
   * @param hasHeat whether the token has a heat row at all (false: both arrays are empty)
   * @param targets for a sparse document the positions of {@code values} in increasing order, null
   *     for a dense one
   * @param values the heat values
   */
  public record HeatRow(boolean hasHeat, int[] targets, float[] values) {}

  /** Opens the document in {@code dir}, whose footers get a cache of their own. */
  OpenSaliency(Path dir, SaliencyDocument document) {
    FooterCache footers = new FooterCache(64);
    this.document = document;
    this.tokens = new ParquetTable(dir.resolve(RunLayout.SALIENCY_TOKENS), footers);
    this.heat = new ParquetTable(dir.resolve(RunLayout.SALIENCY_HEAT), footers);
  }

  /** The document this reads. */
  public SaliencyDocument document() {
    return document;
  }

  /**
   * The tokens of positions [from, to) of every facet, facet by facet.
   *
   * @throws IOException if a table cannot be read, or lacks a row of the window
   */
  public List<List<Token>> window(int from, int to) throws IOException {
    int facets = document.facets().size();
    Token[][] out = new Token[facets][to - from];
    FilterPredicate filter =
        and(gtEq(intColumn(Columns.POSITION), from), lt(intColumn(Columns.POSITION), to));
    boolean vocab = hasVocabPositions();
    List<String> columns = new ArrayList<>(WINDOW_COLUMNS);
    if (vocab) {
      columns.add(Columns.VOCAB_POSITION);
    }
    tokens.scan(
        columns,
        filter,
        null,
        row -> {
          int f = row.intValue(0);
          int p = row.intValue(1);
          if (f >= 0 && f < facets && p >= from && p < to) {
            out[f][p - from] =
                new Token(
                    row.string(2),
                    row.booleanValue(3),
                    row.stringList(4),
                    row.booleanValue(5),
                    vocab ? row.intValue(6) : -1);
          }
          return true;
        });
    List<List<Token>> result = new ArrayList<>(facets);
    for (int f = 0; f < facets; f++) {
      for (int i = 0; i < out[f].length; i++) {
        if (out[f][i] == null) {
          throw new IOException(
              "saliency document "
                  + document.doc()
                  + " has no token "
                  + (from + i)
                  + " in facet "
                  + f);
        }
      }
      result.add(Arrays.asList(out[f]));
    }
    return result;
  }

  /**
   * Where the run's vocabulary position {@code vocabPosition} occurs in facet 0: a scan of two int
   * columns, pruned by row-group statistics of {@code vocab_position} (O(tokens) at worst).
   *
   * @throws IOException if the table cannot be read
   */
  public Occurrences occurrences(int vocabPosition) throws IOException {
    if (vocabPosition < 0 || !hasVocabPositions()) {
      return new Occurrences(-1, 0);
    }
    int[] found = {-1, 0};
    tokens.scan(
        OCCURRENCE_COLUMNS,
        and(eq(intColumn(Columns.FACET), 0), eq(intColumn(Columns.VOCAB_POSITION), vocabPosition)),
        null,
        row -> {
          if (row.intValue(0) == 0 && row.intValue(2) == vocabPosition) {
            int p = row.intValue(1);
            found[0] = found[0] < 0 ? p : Math.min(found[0], p);
            found[1]++;
          }
          return true;
        });
    return new Occurrences(found[0], found[1]);
  }

  /** Whether the tokens table has {@code vocab_position} (documents written before it do not). */
  private boolean hasVocabPositions() throws IOException {
    return tokens.schema().containsField(Columns.VOCAB_POSITION);
  }

  /**
   * The heat row of the token at {@code position} of {@code facet}.
   *
   * @throws IOException if a table cannot be read, or lacks the token
   */
  public HeatRow heatRow(int facet, int position) throws IOException {
    FilterPredicate at =
        and(eq(intColumn(Columns.FACET), facet), eq(intColumn(Columns.POSITION), position));
    if (!document.sparse()) {
      return denseRow(facet, position, at);
    }
    if (!hasHeat(facet, position, at)) {
      return new HeatRow(false, new int[0], new float[0]);
    }
    return sparseRow(facet, position, at);
  }

  private HeatRow denseRow(int facet, int position, FilterPredicate at) throws IOException {
    HeatRow[] found = new HeatRow[1];
    tokens.scan(
        DENSE_COLUMNS,
        at,
        null,
        row -> {
          if (row.intValue(0) != facet || row.intValue(1) != position) {
            return true;
          }
          found[0] = new HeatRow(row.booleanValue(2), null, row.floatList(3));
          return false;
        });
    return require(found[0], facet, position);
  }

  private boolean hasHeat(int facet, int position, FilterPredicate at) throws IOException {
    HeatRow[] found = new HeatRow[1];
    tokens.scan(
        FLAG_COLUMNS,
        at,
        null,
        row -> {
          if (row.intValue(0) != facet || row.intValue(1) != position) {
            return true;
          }
          found[0] = new HeatRow(row.booleanValue(2), null, null);
          return false;
        });
    return require(found[0], facet, position).hasHeat();
  }

  private HeatRow sparseRow(int facet, int position, FilterPredicate at) throws IOException {
    Pairs pairs = new Pairs();
    heat.scan(
        SPARSE_COLUMNS,
        at,
        KeyFilter.range(Columns.FACET, facet, facet + 1L),
        row -> {
          if (row.intValue(0) == facet && row.intValue(1) == position) {
            pairs.add(row.intValue(2), row.floatValue(3));
          }
          return row.intValue(0) < facet || row.intValue(1) <= position;
        });
    return new HeatRow(
        true, Arrays.copyOf(pairs.targets, pairs.size), Arrays.copyOf(pairs.values, pairs.size));
  }

  private HeatRow require(HeatRow row, int facet, int position) throws IOException {
    if (row == null) {
      throw new IOException(
          "saliency document "
              + document.doc()
              + " has no token "
              + position
              + " in facet "
              + facet);
    }
    return row;
  }

  /** Growable (target, value) arrays. */
  private static final class Pairs {
    private int[] targets = new int[64];
    private float[] values = new float[64];
    private int size;

    void add(int target, float value) {
      if (size == targets.length) {
        targets = Arrays.copyOf(targets, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      targets[size] = target;
      values[size++] = value;
    }
  }
}
