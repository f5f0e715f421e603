package org.simheat.jobs.similarity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.simheat.jobs.input.MatrixSource;
import scala.Tuple2;

/**
 * The blocked pass on Spark: one task per {@link BlockTask}, each reading its row block once and
 * streaming its column blocks straight from the {@link MatrixSource} (a file on executors, or a
 * broadcast matrix), then one shuffle that merges every {@link Partial} by {@link PartKey}. No
 * shuffle of N² values and no BlockMatrix: what crosses the network is pooled cells, top-k lists
 * and ranges.
 */
public final class SimilarityPass {
  private SimilarityPass() {}

  /** Inputs of the pass, broadcast to every task. */
  public record Inputs(
      Broadcast<MatrixSource> rows,
      Broadcast<MatrixSource> cols,
      Broadcast<double[]> rowNorms,
      Broadcast<double[]> colNorms)
      implements java.io.Serializable {}

  /**
   * Runs the pass lazily: the returned RDD computes when an action asks for it.
   *
   * @param pairsDone counts block pairs as tasks finish them, for progress
   */
  public static JavaPairRDD<PartKey, Partial> run(
      JavaSparkContext jsc,
      PassConfig cfg,
      List<BlockTask> tasks,
      Inputs in,
      LongAccumulator pairsDone,
      int reducePartitions) {
    return jsc.parallelize(tasks, Math.max(1, tasks.size()))
        .flatMapToPair(task -> new TaskParts(cfg, task, in, pairsDone))
        .combineByKey(
            v -> v,
            Partial::mergeWith,
            Partial::mergeWith,
            new HashPartitioner(Math.max(1, reducePartitions)),
            false,
            null);
  }

  /** The parts of one task, computed one column block at a time as Spark pulls them. */
  private static final class TaskParts implements Iterator<Tuple2<PartKey, Partial>> {
    private final PassConfig cfg;
    private final BlockTask task;
    private final Inputs in;
    private final LongAccumulator pairsDone;
    private final float[] rowData;
    private final BlockProduct product;
    private List<Tuple2<PartKey, Partial>> buffer = new ArrayList<>();
    private int next;
    private int col;
    private boolean finished;

    TaskParts(PassConfig cfg, BlockTask task, Inputs in, LongAccumulator pairsDone) {
      this.cfg = cfg;
      this.task = task;
      this.in = in;
      this.pairsDone = pairsDone;
      this.rowData = read(in.rows().value(), task.row(), cfg.rowsInBlock(task.row()));
      this.product =
          new BlockProduct(cfg, task.row(), rowData, in.rowNorms().value(), in.colNorms().value());
      this.col = task.colFrom();
    }

    private float[] read(MatrixSource source, int block, int count) {
      try {
        return source.readRows((long) block * cfg.blockSize(), count);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read rows of " + source.describe(), e);
      }
    }

    @Override
    public boolean hasNext() {
      while (next == buffer.size()) {
        if (finished) {
          return false;
        }
        buffer = computeNext();
        next = 0;
      }
      return true;
    }

    private List<Tuple2<PartKey, Partial>> computeNext() {
      if (col < task.colTo()) {
        boolean same = cfg.symmetric() && col == task.row();
        float[] colData = same ? rowData : read(in.cols().value(), col, cfg.colsInBlock(col));
        List<Tuple2<PartKey, Partial>> parts = product.multiply(col, colData);
        col++;
        pairsDone.add(1);
        return parts;
      }
      finished = true;
      return product.finish();
    }

    @Override
    public Tuple2<PartKey, Partial> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.get(next++);
    }
  }
}
