package org.simheat.jobs.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/** Block sizes follow d and the executor's memory, and never exceed a stored tile's rows. */
class PassConfigTest {
  @Test
  void blocksHoldAtMost8MiBAndAShareOfACoresMemory() {
    assertThat(PassConfig.blockRowsFor(384, 0)).isEqualTo(2048);
    assertThat(PassConfig.blockRowsFor(1024, 0)).isEqualTo(2048);
    assertThat(PassConfig.blockRowsFor(4096, 0)).isEqualTo(512);
    // 64 MiB a core: a block gets 1 MiB, 341 rows at d = 768, rounded down to 64s.
    assertThat(PassConfig.blockRowsFor(768, 64L << 20)).isEqualTo(320);
    assertThat(PassConfig.blockRowsFor(768, 4L << 30)).isEqualTo(2048);
    assertThat(PassConfig.blockRowsFor(100_000, 1L << 20)).isEqualTo(64);
  }

  @Test
  void aBlockNeverSpansMoreThanAStoredTile() {
    TileGeometry g = new TileGeometry(30522, 30522, 256);
    Metric[] cosine = {Metric.COSINE};
    assertThat(PassConfig.of(g, 768, true, cosine, 4, 10, 0).blockSize()).isEqualTo(2048);
    assertThat(PassConfig.of(g, 768, true, cosine, 6, 10, 0).blockSize()).isEqualTo(512);
    assertThat(PassConfig.of(g, 768, true, cosine, 4, 10, 0).normalised()).isTrue();
    Metric[] two = {Metric.COSINE, Metric.DOT};
    assertThat(PassConfig.of(g, 768, true, two, 4, 10, 0).normalised()).isFalse();
  }
}
