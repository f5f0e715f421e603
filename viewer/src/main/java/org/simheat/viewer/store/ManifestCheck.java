package org.simheat.viewer.store;

import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/**
 * Checks that a manifest is internally consistent before the viewer trusts it: it names its own
 * directory, its sizes are positive, its levels agree with the tile math, and its metrics and
 * aggregations are known. Checks against the tables themselves happen when the run is opened.
 */
final class ManifestCheck {
  private ManifestCheck() {}

  /** Why the manifest of run directory {@code dirName} cannot be trusted, or null when it can. */
  static String problem(Manifest m, String dirName) {
    if (!dirName.equals(m.runId())) {
      return "its manifest names run '" + m.runId() + "'";
    }
    if (m.n() <= 0 || m.nCols() <= 0 || m.dim() <= 0) {
      return "its manifest gives n = " + m.n() + ", nCols = " + m.nCols() + ", d = " + m.dim();
    }
    if (m.symmetric() && m.n() != m.nCols()) {
      return "its manifest says symmetric but n = " + m.n() + " ≠ nCols = " + m.nCols();
    }
    if (m.tileSize() <= 0 || Integer.bitCount(m.tileSize()) != 1) {
      return "its manifest gives tile size " + m.tileSize() + ", not a power of two";
    }
    int maxZoom = new TileGeometry(m.n(), m.nCols(), m.tileSize()).maxZoom();
    if (m.maxZoom() != maxZoom) {
      return "its manifest says maxZoom = " + m.maxZoom() + " where the tile math gives " + maxZoom;
    }
    if (m.storedZoom() < 0 || m.storedZoom() > maxZoom) {
      return "its manifest says storedZoom = " + m.storedZoom() + ", outside 0.." + maxZoom;
    }
    return idsProblem(m);
  }

  private static String idsProblem(Manifest m) {
    if (m.metrics() == null || m.metrics().isEmpty()) {
      return "its manifest lists no metric";
    }
    if (m.aggregations() == null || m.aggregations().isEmpty()) {
      return "its manifest lists no aggregation";
    }
    try {
      m.metrics().forEach(Metric::parse);
      m.aggregations().forEach(Aggregation::parse);
    } catch (IllegalArgumentException e) {
      return "its manifest: " + e.getMessage();
    }
    return null;
  }
}
