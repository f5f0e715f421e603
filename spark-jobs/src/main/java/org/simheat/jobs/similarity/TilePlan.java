package org.simheat.jobs.similarity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.simheat.format.TileGeometry;

/**
 * How the blocked pass splits its work: the stored tiles of the finest stored level, in row-major
 * order (the upper triangle when symmetric), cut into runs of consecutive tiles with about the same
 * number of row pairs each, so that no task is left with the diagonal's heavy tiles alone. A
 * symmetric diagonal tile costs about half its square (every unordered block pair once).
 */
public final class TilePlan {
  private TilePlan() {}

  /**
   * One Spark task: the tiles (rows[x], cols[x]) of the finest stored level, in row-major order.
   *
   * @param id the task's number, which names its files
   * @param rows tile rows
   * @param cols tile columns
   */
  public record Task(int id, int[] rows, int[] cols) implements Serializable {
    /** Number of tiles. */
    public int size() {
      return rows.length;
    }
  }

  /**
   * Splits the stored tiles into about {@code targetTasks} tasks of equal work (pairs of rows),
   * each a run of consecutive tiles.
   */
  public static List<Task> plan(PassConfig cfg, TileGeometry g, int targetTasks) {
    int z = cfg.storedZoom();
    List<int[]> tiles = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < g.tileRows(z); i++) {
      for (int j = cfg.symmetric() ? i : 0; j < g.tileCols(z); j++) {
        tiles.add(new int[] {i, j});
        total += work(cfg, i, j);
      }
    }
    int target = Math.max(1, Math.min(targetTasks, tiles.size()));
    double share = total / target;
    List<Task> tasks = new ArrayList<>();
    List<int[]> current = new ArrayList<>();
    double acc = 0;
    double done = 0;
    for (int[] t : tiles) {
      current.add(t);
      acc += work(cfg, t[0], t[1]);
      // Close a task when the work so far reaches its share of the whole.
      if (done + acc >= share * (tasks.size() + 1) - 1e-9) {
        tasks.add(task(tasks.size(), current));
        done += acc;
        acc = 0;
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      tasks.add(task(tasks.size(), current));
    }
    return tasks;
  }

  private static Task task(int id, List<int[]> tiles) {
    int[] r = new int[tiles.size()];
    int[] c = new int[tiles.size()];
    for (int x = 0; x < r.length; x++) {
      r[x] = tiles.get(x)[0];
      c[x] = tiles.get(x)[1];
    }
    return new Task(id, r, c);
  }

  /** Pairs of rows a tile multiplies: a symmetric diagonal tile does about half of its square. */
  static double work(PassConfig cfg, int ti, int tj) {
    long tileRows = cfg.tileSize() * cfg.span();
    double rows = Math.min(tileRows, cfg.nRows() - ti * tileRows);
    double cols = Math.min(tileRows, cfg.nCols() - tj * tileRows);
    return cfg.symmetric() && ti == tj ? rows * (rows + cfg.blockSize()) / 2 : rows * cols;
  }

  /** Block pairs of a task, for progress. */
  public static long pairs(PassConfig cfg, Task t) {
    long n = 0;
    for (int x = 0; x < t.size(); x++) {
      long a = chunks(cfg, t.rows()[x], cfg.nRows());
      long b = chunks(cfg, t.cols()[x], cfg.nCols());
      n += cfg.symmetric() && t.rows()[x] == t.cols()[x] ? a * (a + 1) / 2 : a * b;
    }
    return n;
  }

  /** Floating-point operations of a task's products. */
  public static double flops(PassConfig cfg, Task t) {
    double f = 0;
    for (int x = 0; x < t.size(); x++) {
      f += 2 * work(cfg, t.rows()[x], t.cols()[x]) * cfg.dim();
    }
    return f;
  }

  private static long chunks(PassConfig cfg, int tile, long n) {
    long tileRows = cfg.tileSize() * cfg.span();
    long rows = Math.min(tileRows, n - tile * tileRows);
    return (rows + cfg.blockSize() - 1) / cfg.blockSize();
  }
}
