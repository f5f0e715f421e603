package org.simheat.viewer.service;

import java.util.Locale;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.store.OpenRun;

/**
 * Guard clauses for request arguments against an open run: a malformed or negative value is a 400,
 * a well-formed name or number the run does not have is a 404, and every message says what the run
 * does have.
 */
final class RequestChecks {
  static final int MAX_QUERY = 200;
  static final int MIN_RES = 32;
  static final int MAX_RES = 512;
  static final int DEFAULT_RES = 128;

  /** Most pairs a region of the pairs endpoint may cover: 4 Mi, e.g. 2048 × 2048. */
  static final long MAX_REGION_PAIRS = 1L << 22;

  static final int DEFAULT_PAIRS = 20;
  static final int MAX_PAIRS = 1000;

  private RequestChecks() {}

  /** The metric named {@code id}, which the run must have computed. */
  static Metric metric(OpenRun run, String id) {
    if (id == null || id.isBlank()) {
      throw ApiException.badRequest(
          "metric is required: run "
              + run.runId()
              + " has "
              + String.join(", ", run.manifest().metrics()));
    }
    for (Metric m : run.metrics()) {
      if (m.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw ApiException.notFound(
        "unknown metric '"
            + clip(id)
            + "': run "
            + run.runId()
            + " has "
            + String.join(", ", run.manifest().metrics()));
  }

  /** The aggregation named {@code id}, which the run must store. */
  static Aggregation aggregation(OpenRun run, String id) {
    if (id == null || id.isBlank()) {
      throw ApiException.badRequest(
          "agg is required: run "
              + run.runId()
              + " has "
              + String.join(", ", run.manifest().aggregations()));
    }
    for (Aggregation a : run.aggregations()) {
      if (a.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw ApiException.notFound(
        "unknown aggregation '"
            + clip(id)
            + "': run "
            + run.runId()
            + " has "
            + String.join(", ", run.manifest().aggregations()));
  }

  /** Level z, which must be one of the run's levels. */
  static int level(OpenRun run, int z) {
    int max = run.geometry().maxZoom();
    if (z < 0) {
      throw ApiException.badRequest("level must be ≥ 0, got " + z);
    }
    if (z > max) {
      throw ApiException.notFound(
          "level " + z + " is out of range: run " + run.runId() + " has levels 0.." + max);
    }
    return z;
  }

  /** Checks that tile (i, j) is in level z's grid. */
  static void tile(OpenRun run, int z, long i, long j) {
    if (i < 0 || j < 0) {
      throw ApiException.badRequest("tile row and column must be ≥ 0, got (" + i + ", " + j + ")");
    }
    TileGeometry g = run.geometry();
    long rows = g.tileRows(z);
    long cols = g.tileCols(z);
    if (i >= rows || j >= cols) {
      throw ApiException.notFound(
          String.format(
              "tile (%d, %d, %d) is outside level %d's grid of %d × %d tiles: i in 0..%d, j in 0..%d",
              z, i, j, z, rows, cols, rows - 1, cols - 1));
    }
  }

  /** A row position of the run. */
  static long position(OpenRun run, long position) {
    if (position < 0) {
      throw ApiException.badRequest("position must be ≥ 0, got " + position);
    }
    if (position >= run.geometry().rows()) {
      throw ApiException.notFound(
          "position "
              + position
              + " is out of range: run "
              + run.runId()
              + " has positions 0.."
              + (run.geometry().rows() - 1));
    }
    return position;
  }

  /** A count of at least 1, capped at {@code max}. */
  static int count(String name, int value, int max) {
    if (value < 1) {
      throw ApiException.badRequest(name + " must be ≥ 1, got " + value);
    }
    return Math.min(value, max);
  }

  /** A non-empty search text of at most {@value #MAX_QUERY} characters. */
  static String query(String q) {
    if (q == null || q.isEmpty()) {
      throw ApiException.badRequest("q must not be empty");
    }
    if (q.length() > MAX_QUERY) {
      throw ApiException.badRequest(
          "q must be at most " + MAX_QUERY + " characters, got " + q.length());
    }
    return q;
  }

  /** The resolution of a view: 0 means the default, else it must be in range. */
  static int resolution(int res) {
    if (res == 0) {
      return DEFAULT_RES;
    }
    if (res < MIN_RES || res > MAX_RES) {
      throw ApiException.badRequest("res must be " + MIN_RES + ".." + MAX_RES + ", got " + res);
    }
    return res;
  }

  /**
   * A viewport's half-open range along one axis of {@code n} positions; {@code hi} is clamped to n.
   *
   * @return {lo, hi}
   */
  static long[] range(String axis, long lo, long hi, long n) {
    String l = axis + "0";
    String h = axis + "1";
    if (lo < 0 || hi < 0) {
      throw ApiException.badRequest(l + " and " + h + " must be ≥ 0, got " + lo + " and " + hi);
    }
    if (lo >= hi) {
      throw ApiException.badRequest(
          "empty viewport: " + l + " = " + lo + " must be less than " + h + " = " + hi);
    }
    if (lo >= n) {
      throw ApiException.badRequest(
          l + " = " + lo + " is past the last position " + (n - 1) + " of that axis");
    }
    return new long[] {lo, Math.min(hi, n)};
  }

  /**
   * Checks that a region of columns {@code x} × rows {@code y} (already clamped) holds at most
   * {@value #MAX_REGION_PAIRS} pairs.
   */
  static void region(long[] x, long[] y) {
    long pairs = (x[1] - x[0]) * (y[1] - y[0]);
    if (pairs > MAX_REGION_PAIRS) {
      throw ApiException.badRequest(
          String.format(
              Locale.ROOT,
              "region rows %d..%d × columns %d..%d holds %,d pairs, over this viewer's limit of"
                  + " %,d (2048 × 2048): select a smaller region",
              y[0],
              y[1] - 1,
              x[0],
              x[1] - 1,
              pairs,
              MAX_REGION_PAIRS));
    }
  }

  /** Clips a client-supplied name before echoing it. */
  static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
