package org.simheat.jobs.saliency;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;

/**
 * A run's vocabulary as the saliency job needs it on every executor: token → position (the first
 * position of a repeated token), each position's vector, and the top-3 neighbours' tokens of each
 * position under one metric. Held whole in memory (N·d floats) and broadcast once.
 */
final class RunVocabulary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Neighbours shown as a token's meta. */
  static final int META_NEIGHBORS = 3;

  private final TextTokenizer tokenizer;
  private final float[][] vectors;
  private final List<String>[] meta;

  private RunVocabulary(Map<String, Integer> index, float[][] vectors, List<String>[] meta) {
    this.tokenizer = new TextTokenizer(index);
    this.vectors = vectors;
    this.meta = meta;
  }

  /** Reads the run's {@code embeddings} and, when it has one, {@code neighbors/metric=<m>}. */
  @SuppressWarnings("unchecked")
  static RunVocabulary load(
      SparkSession spark, Path runDir, int n, Metric metric, boolean hasNbrs) {
    String[] tokens = new String[n];
    float[][] vectors = new float[n][];
    List<Row> rows =
        spark
            .read()
            .parquet(new Path(runDir, RunLayout.EMBEDDINGS).toString())
            .select(Columns.POSITION, Columns.TOKEN, Columns.VECTOR)
            .collectAsList();
    for (Row r : rows) {
      int p = r.getInt(0);
      tokens[p] = r.getString(1);
      List<Float> v = r.getList(2);
      vectors[p] = new float[v.size()];
      for (int c = 0; c < v.size(); c++) {
        vectors[p][c] = v.get(c);
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (int p = n - 1; p >= 0; p--) {
      index.put(tokens[p], p);
    }
    List<String>[] meta = new List[n];
    Arrays.fill(meta, List.of());
    if (hasNbrs) {
      readNeighbors(spark, runDir, metric, tokens, meta);
    }
    return new RunVocabulary(index, vectors, meta);
  }

  private static void readNeighbors(
      SparkSession spark, Path runDir, Metric metric, String[] tokens, List<String>[] meta) {
    List<Row> rows =
        spark
            .read()
            .parquet(new Path(runDir, RunLayout.neighborsDir(metric)).toString())
            .select(Columns.POSITION, Columns.NEIGHBORS)
            .collectAsList();
    for (Row r : rows) {
      List<Integer> nbrs = r.getList(1);
      meta[r.getInt(0)] =
          nbrs.subList(0, Math.min(META_NEIGHBORS, nbrs.size())).stream()
              .map(q -> tokens[q])
              .toList();
    }
  }

  /** The tokenizer of this vocabulary (its style decided once, when loaded). */
  TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The vector of a position. */
  float[] vector(int position) {
    return vectors[position];
  }

  /** The top-3 neighbours of a position, best first, as tokens. */
  List<String> meta(int position) {
    return meta[position];
  }
}
