package org.simheat.viewer.service;

import java.io.IOException;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.store.OpenRun;
import org.simheat.viewer.store.TileCache;
import org.simheat.viewer.store.TileData;

/**
 * Where a tile comes from: the stored level (levels up to the run's stored zoom), its mirror (a
 * symmetric run holds tile_row ≤ tile_col only; (j, i) is the transpose of (i, j)), or a live
 * computation from the embeddings (finer levels). Stored and live tiles share one byte-bounded
 * cache; mirrors are transposed from the cached stored tile on each call.
 */
final class TileSource {
  private final TileCache cache;
  private final LiveTileComputer live;

  TileSource(TileCache cache, LiveTileComputer live) {
    this.cache = cache;
    this.live = live;
  }

  /**
   * Tile (z, i, j) of a metric; the caller has checked the level and the tile's place in the grid.
   *
   * @throws IOException if a table cannot be read
   */
  TileData tile(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    if (z > run.manifest().storedZoom()) {
      return live(run, metric, z, i, j);
    }
    if (run.manifest().symmetric() && i > j) {
      return stored(run, metric, z, j, i).transpose();
    }
    return stored(run, metric, z, i, j);
  }

  /**
   * Tile (z, i, j) computed from the embeddings at any level, even a stored one (to compare them).
   *
   * @throws IOException if the embeddings cannot be read
   */
  TileData live(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    TileCache.Key key = new TileCache.Key(run.runId(), metric.id(), z, i, j, true);
    return cache.get(key, () -> live.compute(run, metric, z, i, j));
  }

  private TileData stored(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    TileGeometry g = run.geometry();
    TileCache.Key key = new TileCache.Key(run.runId(), metric.id(), z, i, j, false);
    return cache.get(
        key,
        () ->
            run.tiles().read(metric, z, (int) i, (int) j, g.rowsInTile(z, i), g.colsInTile(z, j)));
  }
}
