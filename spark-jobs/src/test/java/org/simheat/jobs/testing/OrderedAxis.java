package org.simheat.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One axis of a committed run in any order, as its embeddings table holds it, by position.
 *
 * @param ids the input row at each position
 * @param tokens the token at each position
 * @param clusters the cluster column at each position (−1 in input order)
 * @param bounds boundaries where the cluster column changes ({0, n} in input order)
 */
public record OrderedAxis(int[] ids, String[] tokens, int[] clusters, long[] bounds) {
  /**
   * Reads the table {@code table} of run {@code run}, checking that positions run 0…n−1, ids are a
   * permutation, each row's token and vector are its input row's, and clusters are contiguous.
   */
  public static OrderedAxis read(
      SparkSession spark, Path run, String table, float[][] e, List<String> tokens) {
    List<Row> rows =
        spark.read().parquet(run.resolve(table).toString()).orderBy("position").collectAsList();
    assertThat(rows).hasSize(e.length);
    int[] ids = new int[e.length];
    String[] tok = new String[e.length];
    int[] clusters = new int[e.length];
    List<Long> bounds = new ArrayList<>(List.of(0L));
    boolean[] seen = new boolean[e.length];
    for (int p = 0; p < e.length; p++) {
      Row r = rows.get(p);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(p);
      ids[p] = r.getInt(r.fieldIndex("id"));
      assertThat(seen[ids[p]]).as("id %d repeated", ids[p]).isFalse();
      seen[ids[p]] = true;
      tok[p] = r.getString(r.fieldIndex("token"));
      assertThat(tok[p]).isEqualTo(tokens.get(ids[p]));
      clusters[p] = r.getInt(r.fieldIndex("cluster"));
      List<Float> v = r.getList(r.fieldIndex("vector"));
      for (int c = 0; c < e[ids[p]].length; c++) {
        assertThat(v.get(c)).isEqualTo(e[ids[p]][c]);
      }
      if (p > 0 && clusters[p] != clusters[p - 1]) {
        assertThat(clusters[p]).isEqualTo(clusters[p - 1] + 1);
        bounds.add((long) p);
      }
    }
    bounds.add((long) e.length);
    return new OrderedAxis(
        ids, tok, clusters, bounds.stream().mapToLong(Long::longValue).toArray());
  }
}
