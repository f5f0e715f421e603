package org.simheat.viewer.service;

import java.nio.file.Path;

/** Opens the {@link ViewerService} over an output directory: the seam the command line uses. */
public final class ServiceFactory {
  private ServiceFactory() {}

  /**
   * Opens the runs under {@code dataDir} (the {@code --out} directory of {@code compute}). Runs
   * committed later appear without a restart.
   *
   * @param dataDir directory holding {@code LATEST} and {@code runs/}
   * @param cacheBytes bound of the decoded-tile cache, in bytes
   */
  public static ViewerService open(Path dataDir, long cacheBytes) {
    return new RunService(dataDir, ViewerOptions.defaults().withTileCacheBytes(cacheBytes));
  }
}
