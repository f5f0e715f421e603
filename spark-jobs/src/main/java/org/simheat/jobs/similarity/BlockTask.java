package org.simheat.jobs.similarity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One Spark task of the blocked pass: row block {@code row} against column blocks {@code [colFrom,
 * colTo)}. The row block is read once and the column blocks stream past it.
 *
 * @param row row-block index
 * @param colFrom first column block
 * @param colTo column block past the last
 */
public record BlockTask(int row, int colFrom, int colTo) implements Serializable {

  /**
   * Splits every block pair of the pass (i ≤ j when symmetric) into about {@code targetTasks} tasks
   * of similar work, each a run of consecutive column blocks of one row block.
   */
  public static List<BlockTask> plan(PassConfig cfg, int targetTasks) {
    int rb = cfg.rowBlocks();
    int cb = cfg.colBlocks();
    long pairs = cfg.symmetric() ? (long) rb * (rb + 1) / 2 : (long) rb * cb;
    int perTask = (int) Math.max(1, (pairs + targetTasks - 1) / Math.max(1, targetTasks));
    List<BlockTask> tasks = new ArrayList<>();
    for (int i = 0; i < rb; i++) {
      int from = cfg.symmetric() ? i : 0;
      for (int j = from; j < cb; j += perTask) {
        tasks.add(new BlockTask(i, j, Math.min(cb, j + perTask)));
      }
    }
    return tasks;
  }

  /** Floating-point operations of this task's products (2·rows·cols·d per pair). */
  public double flops(PassConfig cfg) {
    long cols = 0;
    for (int j = colFrom; j < colTo; j++) {
      cols += cfg.colsInBlock(j);
    }
    return 2.0 * cfg.rowsInBlock(row) * cols * cfg.dim();
  }
}
