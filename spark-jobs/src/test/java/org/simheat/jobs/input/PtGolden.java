package org.simheat.jobs.input;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The torch golden files of {@code golden/pt/} and the formula that filled them. */
final class PtGolden {
  private PtGolden() {}

  /** The golden file's local path. */
  static Path path(String name) {
    URL url = PtGolden.class.getResource("/golden/pt/" + name);
    if (url == null) {
      throw new IllegalStateException("missing golden file " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** value(r, c) = (r · dim + c) · 0.125 − 3, as generate.py fills every matrix. */
  static float value(int r, int c, int dim) {
    return (r * dim + c) * 0.125f - 3;
  }
}
