package org.simheat.jobs.pyramid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.output.TileFiles;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.PartKey;

/**
 * Rolls the finest stored level up to level 0.
 *
 * <p>Tile (i, j) of level z feeds tile (⌊i/2⌋, ⌊j/2⌋) of level z−1, its cell (r, c) the parent cell
 * (⌊r/2⌋, ⌊c/2⌋) in global cell coordinates. Because a cell's sum, max and min are exact aggregates
 * of its pairs, the parent's are exact too, whatever the edge cells' sizes. A symmetric run stores
 * tiles i ≤ j only; a parent on the diagonal also needs its child below the diagonal, which is the
 * transpose of the stored child above it, so that transpose is folded in as well. The pass hands
 * over the level below its finest, whole; the stored pyramid is bounded by the cell budget, so the
 * rest is rolled up and written on the driver.
 */
public final class TilePyramid {
  private TilePyramid() {}

  /**
   * Writes levels {@code from, from−1, …, 0} on the driver, starting from the whole tiles of level
   * {@code from} (keyed by {@link PartKey#tile}): each level is written, then halved into the next.
   * The stored pyramid is bounded by the cell budget, so these coarse levels are small (a quarter
   * of the finest stored level and less).
   */
  public static void writeLevels(
      Map<PartKey, CellBlock> level,
      int from,
      TileGeometry g,
      Metric[] metrics,
      boolean symmetric,
      Configuration conf,
      Path staging,
      List<Aggregation> aggregations)
      throws IOException {
    int t = g.tileSize();
    Map<PartKey, CellBlock> current = level;
    for (int z = from; z >= 0; z--) {
      List<Map.Entry<PartKey, CellBlock>> sorted = new ArrayList<>(current.entrySet());
      sorted.sort(
          Comparator.comparingInt((Map.Entry<PartKey, CellBlock> e) -> e.getKey().metric())
              .thenComparingLong(e -> e.getKey().a())
              .thenComparingLong(e -> e.getKey().b()));
      for (int m = 0; m < metrics.length; m++) {
        Path file = new Path(TileFiles.levelDir(staging, metrics[m], z), TileFiles.partName(0));
        final int metric = m;
        List<CellBlock> tiles =
            sorted.stream()
                .filter(e -> e.getKey().metric() == metric)
                .map(Map.Entry::getValue)
                .toList();
        TileFiles.writeTiles(conf, file, g, z, aggregations, tiles);
      }
      if (z == 0) {
        break;
      }
      Map<PartKey, CellBlock> parents = new HashMap<>();
      long cellRows = g.cellRows(z - 1);
      long cellCols = g.cellCols(z - 1);
      for (Map.Entry<PartKey, CellBlock> e : sorted) {
        PartKey k = e.getKey();
        CellBlock half = e.getValue().halve(t, cellRows, cellCols);
        PartKey pk = PartKey.tile(k.metric(), k.a() / 2, k.b() / 2);
        parents.merge(pk, half, (x, y) -> (CellBlock) x.mergeWith(y));
        if (symmetric && k.a() / 2 == k.b() / 2 && k.a() < k.b()) {
          parents.merge(pk, half.transpose(), (x, y) -> (CellBlock) x.mergeWith(y));
        }
      }
      current = parents;
    }
  }
}
