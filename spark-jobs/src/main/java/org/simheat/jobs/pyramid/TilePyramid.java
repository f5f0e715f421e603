package org.simheat.jobs.pyramid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.output.TileFiles;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.PartKey;
import org.simheat.jobs.similarity.Partial;
import scala.Tuple2;

/**
 * Rolls the finest stored level up to level 0.
 *
 * <p>Tile (i, j) of level z feeds tile (⌊i/2⌋, ⌊j/2⌋) of level z−1, its cell (r, c) the parent cell
 * (⌊r/2⌋, ⌊c/2⌋) in global cell coordinates. Because a cell's sum, max and min are exact aggregates
 * of its pairs, the parent's are exact too, whatever the edge cells' sizes. A symmetric run stores
 * tiles i ≤ j only; a parent on the diagonal also needs its child below the diagonal, which is the
 * transpose of the stored child above it, so that transpose is emitted as well. Cost per level: one
 * shuffle of a quarter of the level below's cells.
 */
public final class TilePyramid {
  private TilePyramid() {}

  /**
   * Returns levels {@code storedZoom, storedZoom−1, …, 0}, each keyed by {@link PartKey#tile}, the
   * finest first. Every level is persisted, since it is written and also feeds the next.
   */
  public static List<JavaPairRDD<PartKey, CellBlock>> build(
      JavaPairRDD<PartKey, CellBlock> finest,
      TileGeometry geometry,
      int storedZoom,
      boolean symmetric) {
    List<JavaPairRDD<PartKey, CellBlock>> levels = new ArrayList<>();
    JavaPairRDD<PartKey, CellBlock> level = finest.persist(StorageLevel.MEMORY_AND_DISK());
    levels.add(level);
    for (int z = storedZoom; z > 0; z--) {
      level =
          parentLevel(level, geometry, z - 1, symmetric).persist(StorageLevel.MEMORY_AND_DISK());
      levels.add(level);
    }
    return levels;
  }

  private static JavaPairRDD<PartKey, CellBlock> parentLevel(
      JavaPairRDD<PartKey, CellBlock> children, TileGeometry g, int parent, boolean symmetric) {
    int t = g.tileSize();
    long cellRows = g.cellRows(parent);
    long cellCols = g.cellCols(parent);
    int partitions =
        (int) Math.max(1, Math.min(children.getNumPartitions(), g.storedTiles(parent, symmetric)));
    return children
        .flatMapToPair(
            kv -> {
              PartKey k = kv._1();
              CellBlock half = kv._2().halve(t, cellRows, cellCols);
              PartKey pk = PartKey.tile(k.metric(), k.a() / 2, k.b() / 2);
              List<Tuple2<PartKey, CellBlock>> out = new ArrayList<>(2);
              out.add(new Tuple2<>(pk, half));
              if (symmetric && k.a() / 2 == k.b() / 2 && k.a() < k.b()) {
                out.add(new Tuple2<>(pk, half.transpose()));
              }
              return out.iterator();
            })
        .combineByKey(
            v -> v,
            (a, b) -> (CellBlock) a.mergeWith(b),
            (a, b) -> (CellBlock) a.mergeWith(b),
            new HashPartitioner(partitions),
            false,
            null);
  }

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
        TileFiles.TileWriter w = new TileFiles.TileWriter(conf, file, g, z, aggregations);
        try {
          for (Map.Entry<PartKey, CellBlock> e : sorted) {
            if (e.getKey().metric() == m) {
              w.write(e.getValue());
            }
          }
        } catch (IOException | RuntimeException ex) {
          w.abandon();
          throw ex;
        }
        w.close();
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

  /** The tiles of the pass's output: its {@link PartKey#TILE} parts. */
  public static JavaPairRDD<PartKey, CellBlock> tiles(JavaPairRDD<PartKey, Partial> parts) {
    return parts
        .filter(kv -> kv._1().kind() == PartKey.TILE)
        .mapToPair(kv -> new Tuple2<>(kv._1(), (CellBlock) kv._2()));
  }
}
