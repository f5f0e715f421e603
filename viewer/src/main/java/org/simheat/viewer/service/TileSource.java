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
 * computation from the embeddings (finer levels; the mean alone of cosine and dot by bilinearity,
 * see {@link LiveMeans}). Stored and live tiles share one byte-bounded cache; mirrors are
 * transposed from the cached stored tile on each call.
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

  /**
   * The mean of live tile (z, i, j) of cosine or dot by bilinearity (max and min null), or the
   * whole live tile when that is cached already.
   *
   * @throws IOException if the embeddings cannot be read
   */
  TileData liveMean(OpenRun run, Metric metric, int z, long i, long j) throws IOException {
    TileData full = cache.getIfPresent(new TileCache.Key(run.runId(), metric.id(), z, i, j, true));
    if (full != null) {
      return full;
    }
    TileCache.Key key = new TileCache.Key(run.runId(), metric.id(), z, i, j, true, true);
    return cache.get(key, () -> live.withPermit(() -> LiveMeans.compute(run, metric, z, i, j)));
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
