package org.simheat.jobs.cluster;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.clustering.BisectingKMeans;
import org.apache.spark.mllib.clustering.BisectingKMeansModel;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.storage.StorageLevel;
import org.simheat.jobs.input.MatrixSource;
import org.simheat.jobs.similarity.DenseKernel;

/**
 * Trains an axis's MLlib clustering on its L2-normalised non-zero rows: all of them up to {@value
 * #SAMPLE_CAP}, else a seeded uniform sample of that many (the model then assigns every row). On
 * unit vectors Euclidean k-means is cosine k-means: ‖u − v‖² = 2 − 2·cos(u, v).
 *
 * <p>The sample's rows are read on the executors, in chunks of ascending ids (one file open and one
 * read per run of consecutive rows each), into a cached RDD of {@value #ROWS_PER_PARTITION} rows a
 * partition, a layout that depends only on the sample, so a seed gives the same model on any number
 * of cores. Cost: MLlib's, about {@code iterations · levels · n · d} for bisecting k-means (levels
 * ≈ log₂ K) and {@code iterations · n · K · d} for k-means, on n ≤ {@value #SAMPLE_CAP} rows;
 * memory n·d doubles, cached.
 */
final class ClusterTraining {
  /** Most rows the model is trained on. */
  static final int SAMPLE_CAP = 100_000;

  /** Training rows per RDD partition. */
  static final int ROWS_PER_PARTITION = 8192;

  /** Rows read per chunk. */
  private static final int CHUNK = 1024;

  /** MLlib's iterations per (bisection) step. */
  static final int MAX_ITERATIONS = 20;

  private ClusterTraining() {}

  /** Maps a unit vector to the model's cluster index. */
  interface Predictor extends Serializable {
    int predict(Vector unit);
  }

  /**
   * A trained clustering.
   *
   * @param predictor the model's assignment of a unit vector (the zero vector included)
   * @param shape the model's tree; a flat root over every cluster for k-means
   * @param trainingRows rows the model saw
   */
  record Trained(Predictor predictor, TreeShape shape, int trainingRows) {}

  /** A chunk of rows to read, with their norms. */
  private record Chunk(int[] ids, double[] norms) implements Serializable {}

  /**
   * Trains the clustering of the matrix's rows.
   *
   * @param norms each row's L2 norm
   * @param k leaf clusters asked for (MLlib may find fewer, e.g. among duplicate rows)
   * @param cap most rows to train on ({@link #SAMPLE_CAP})
   */
  static Trained train(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      double[] norms,
      ClusterAlgorithm algorithm,
      int k,
      long seed,
      int cap) {
    DenseKernel.blas(); // choose the native BLAS before MLlib loads one
    int[] rows = sample(norms, seed, cap);
    if (rows.length == 0) {
      // Every row is zero: one cluster holds them all.
      return new Trained(unit -> 0, TreeShape.leaf(0), 0);
    }
    JavaRDD<Vector> data = read(jsc, source, norms, rows).persist(StorageLevel.MEMORY_ONLY());
    try {
      return switch (algorithm) {
        case BISECTING_KMEANS -> bisecting(data, k, seed, rows.length);
        case KMEANS -> kmeans(data, k, seed, rows.length);
      };
    } finally {
      data.unpersist(false);
    }
  }

  private static Trained bisecting(JavaRDD<Vector> data, int k, long seed, int n) {
    BisectingKMeansModel model =
        new BisectingKMeans()
            .setK(k)
            .setSeed(seed)
            .setMaxIterations(MAX_ITERATIONS)
            .setMinDivisibleClusterSize(1.0)
            .run(data);
    return new Trained(model::predict, BisectingTree.of(model), n);
  }

  private static Trained kmeans(JavaRDD<Vector> data, int k, long seed, int n) {
    KMeansModel model =
        new KMeans()
            .setK(k)
            .setSeed(seed)
            .setMaxIterations(MAX_ITERATIONS)
            .setInitializationMode(KMeans.K_MEANS_PARALLEL())
            .run(data.rdd());
    List<TreeShape> leaves =
        IntStream.range(0, model.clusterCenters().length).mapToObj(TreeShape::leaf).toList();
    return new Trained(model::predict, TreeShape.of(leaves), n);
  }

  /**
   * The training rows: every non-zero row, or a seeded uniform sample of {@code cap} of them, in
   * ascending order.
   */
  static int[] sample(double[] norms, long seed, int cap) {
    int[] nonZero = IntStream.range(0, norms.length).filter(i -> norms[i] > 0).toArray();
    if (nonZero.length <= cap) {
      return nonZero;
    }
    Random random = new Random(seed);
    for (int i = 0; i < cap; i++) {
      int j = i + random.nextInt(nonZero.length - i);
      int t = nonZero[i];
      nonZero[i] = nonZero[j];
      nonZero[j] = t;
    }
    int[] picked = Arrays.copyOf(nonZero, cap);
    Arrays.sort(picked);
    return picked;
  }

  private static JavaRDD<Vector> read(
      JavaSparkContext jsc, Broadcast<MatrixSource> source, double[] norms, int[] rows) {
    List<Chunk> chunks = new ArrayList<>();
    for (int at = 0; at < rows.length; at += CHUNK) {
      int[] ids = Arrays.copyOfRange(rows, at, Math.min(rows.length, at + CHUNK));
      chunks.add(new Chunk(ids, Arrays.stream(ids).mapToDouble(i -> norms[i]).toArray()));
    }
    int partitions = (rows.length + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION;
    return jsc.parallelize(chunks, Math.min(chunks.size(), partitions))
        .flatMap(c -> vectors(source.value(), c).iterator());
  }

  private static List<Vector> vectors(MatrixSource m, Chunk c) {
    DenseKernel.blas(); // on this executor too, before MLlib's tasks use a BLAS
    int d = m.dim();
    float[] data = new float[c.ids().length * d];
    try {
      m.readRowsAt(c.ids(), 0, c.ids().length, data, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + m.describe() + ": " + e.getMessage(), e);
    }
    List<Vector> out = new ArrayList<>(c.ids().length);
    for (int r = 0; r < c.ids().length; r++) {
      double[] unit = new double[d];
      UnitRows.normalise(data, r * d, d, c.norms()[r], unit);
      out.add(Vectors.dense(unit));
    }
    return out;
  }
}
