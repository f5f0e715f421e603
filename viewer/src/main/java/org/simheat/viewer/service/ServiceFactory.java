package org.simheat.viewer.service;

import java.nio.file.Path;

/** Opens the {@link ViewerService} over an output directory: the seam the command line uses. */
public final class ServiceFactory {
  private ServiceFactory() {}

  /**
   * Opens the runs under {@code dataDir} (the {@code --out} directory of {@code compute}).
   *
   * @param dataDir directory holding {@code LATEST} and {@code runs/}
   * @param cacheBytes bound of the decoded-tile cache, in bytes
   * @throws IllegalArgumentException if the directory holds no committed run
   * @throws UnsupportedOperationException until the Parquet-backed service is merged
   */
  public static ViewerService open(Path dataDir, long cacheBytes) {
    throw new UnsupportedOperationException("RunService not merged yet");
  }
}
