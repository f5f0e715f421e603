package org.simheat.viewer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.simheat.format.Manifest;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.bench.LoadDriver.Check;
import org.simheat.viewer.bench.LoadDriver.Request;
import org.simheat.viewer.testing.BinaryTile;

/**
 * The mixed requests of {@link LoadIT} and what a right answer to each looks like: stored tiles
 * (binary and JSON, their sampled cells checked against {@link #cell} when the run is the test's
 * own), live tiles at one token per cell, views, the run list, token search and the manifest.
 */
final class LoadMix {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Manifest manifest;
  private final boolean known;

  /**
   * The mix over a served run.
   *
   * @param manifest the run's manifest
   * @param known whether the run's stored cells are {@link #cell} (else tiles are checked by size)
   */
  LoadMix(Manifest manifest, boolean known) {
    this.manifest = manifest;
    this.known = known;
  }

  /** Request k of the mixed load. */
  Request request(int k) {
    TileGeometry g = manifest.geometry();
    SplittableRandom r = new SplittableRandom(k * 1_000_003L + 17);
    int kind = Math.floorMod(k * 7919, 20);
    int stored = manifest.storedZoom();
    if (kind < 8) {
      return storedTile(r, g, stored, true);
    }
    if (kind < 10) {
      String target = ViewerBench.randomTile(k, g, 0, stored, "?format=f32");
      return new Request("stored f32, any", target, false, LargeRunBench.BINARY_TILE);
    }
    if (kind < 12) {
      return storedTile(r, g, stored, false);
    }
    if (kind < 14) {
      // Finest level (one token per cell) as the bench's mixed load: coarser live tiles of a big
      // run cost up to the server's cap (a 400 beyond it) and would be all the load measures.
      int z = g.maxZoom();
      String target = ViewerBench.randomTile(k, g, z, z, "?format=f32");
      return new Request("live f32", target, false, LargeRunBench.BINARY_TILE);
    }
    if (kind < 16) {
      return view(r);
    }
    if (kind < 17) {
      return new Request("runs", "/api/runs", false, this::runList, true);
    }
    if (kind < 19) {
      String q = "w" + (1 + r.nextInt(99));
      return new Request(
          "search",
          "/api/runs/latest/tokens?q=" + q + "&limit=5",
          false,
          resp -> tokens(resp, q),
          true);
    }
    return new Request("manifest", "/api/runs/latest/manifest", false, this::manifest, true);
  }

  /** A stored tile of the upper triangle, binary or JSON, whose cells are checked. */
  private Request storedTile(SplittableRandom r, TileGeometry g, int stored, boolean f32) {
    int z = r.nextInt(stored + 1);
    long i = r.nextLong(g.tileRows(z));
    long j = i + r.nextLong(g.tileCols(z) - i);
    String target = ViewerBench.tile(z, i, j, f32 ? "?format=f32" : "");
    Check check = f32 ? resp -> binaryCells(resp, z, i, j) : resp -> jsonCells(resp, z, i, j);
    return new Request(f32 ? "stored f32" : "stored json", target, false, check, true);
  }

  private Request view(SplittableRandom r) {
    long n = manifest.n();
    long w = Math.min(n, 1000);
    long x0 = r.nextLong(n - w + 1);
    long y0 = r.nextLong(n - w + 1);
    String target =
        String.format(
            Locale.ROOT,
            "/api/runs/latest/view?metric=cosine&agg=mean&x0=%d&x1=%d&y0=%d&y1=%d&res=64",
            x0,
            x0 + w,
            y0,
            y0 + w);
    return new Request("view", target, false, resp -> json(resp) != null ? null : "not JSON", true);
  }

  private String binaryCells(BenchClient.Response resp, int z, long i, long j) {
    String size = LargeRunBench.BINARY_TILE.problem(resp);
    if (size != null) {
      return size;
    }
    BinaryTile t = BinaryTile.decode(resp.body());
    if (t.z() != z || t.i() != i || t.j() != j) {
      return "binary tile " + t.z() + "/" + t.i() + "/" + t.j() + " for " + z + "/" + i + "/" + j;
    }
    return known ? cells(z, i, j, t.cols(), t.mean(), t.max(), t.min()) : null;
  }

  private String jsonCells(BenchClient.Response resp, int z, long i, long j) {
    JsonNode t = json(resp);
    if (t == null || t.path("z").asInt() != z || t.path("i").asLong() != i) {
      return "not the JSON tile " + z + "/" + i + "/" + j;
    }
    int cols = t.path("cols").asInt();
    int cells = t.path("rows").asInt() * cols;
    if (t.path("mean").size() != cells || t.path("min").size() != cells) {
      return "JSON tile of " + t.path("mean").size() + " cells, not " + cells;
    }
    return known
        ? cells(z, i, j, cols, floats(t.get("mean")), floats(t.get("max")), floats(t.get("min")))
        : null;
  }

  /** Checks a sample of cells (corners and 14 seeded ones) against what the run stores. */
  private String cells(int z, long i, long j, int cols, float[] mean, float[] max, float[] min) {
    SplittableRandom r = new SplittableRandom(z * 31L + i * 7 + j);
    int[] sample = new int[16];
    sample[0] = 0;
    sample[1] = mean.length - 1;
    for (int s = 2; s < sample.length; s++) {
      sample[s] = r.nextInt(mean.length);
    }
    for (int k : sample) {
      float want = cell(z, i, j, k / cols, k % cols);
      if (mean[k] != want || max[k] != want + 0.25f || min[k] != want - 0.25f) {
        return String.format(
            Locale.ROOT,
            "tile %d/%d/%d cell %d: %s/%s/%s, stored %s",
            z,
            i,
            j,
            k,
            mean[k],
            max[k],
            min[k],
            want);
      }
    }
    return null;
  }

  /** The stored mean of cell (r, c) of tile (z, i, j); its max is 0.25 more, its min 0.25 less. */
  static float cell(int z, long i, long j, int r, int c) {
    return ((z * 7 + i * 13 + j * 17 + r * 31L + c * 37L) % 1000) / 1000f - 0.5f;
  }

  private String runList(BenchClient.Response resp) {
    JsonNode runs = json(resp);
    if (runs == null || !runs.toString().contains(manifest.runId())) {
      return "run list without " + manifest.runId();
    }
    return null;
  }

  private String tokens(BenchClient.Response resp, String q) {
    JsonNode hits = json(resp);
    if (hits == null || !hits.isArray()) {
      return "search answer not a JSON array";
    }
    if (known && (hits.isEmpty() || !hits.get(0).path("token").asText().startsWith(q))) {
      return "search for " + q + " found " + hits;
    }
    return null;
  }

  private String manifest(BenchClient.Response resp) {
    JsonNode m = json(resp);
    return m != null && m.path("n").asLong() == manifest.n() ? null : "not the run's manifest";
  }

  private JsonNode json(BenchClient.Response resp) {
    try {
      return JSON.readTree(resp.body());
    } catch (IOException e) {
      return null;
    }
  }

  private float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) array.get(k).asDouble();
    }
    return out;
  }
}
