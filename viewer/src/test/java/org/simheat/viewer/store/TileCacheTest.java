package org.simheat.viewer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The byte bound, LRU order and shared loads of the tile cache. */
class TileCacheTest {
  private static TileData tile(int side) {
    return new TileData(side, side, new float[side * side], null, new float[side * side]);
  }

  private static TileCache.Key key(long i) {
    return new TileCache.Key("r", "cosine", 0, i, 0, false);
  }

  @Test
  void staysWithinItsByteBudgetEvictingTheLeastRecentlyUsed() throws IOException {
    long one = tile(16).bytes();
    assertThat(one).isEqualTo(64 + 2 * 4 * 256);
    TileCache cache = new TileCache(3 * one);
    AtomicInteger loads = new AtomicInteger();
    for (long i = 0; i < 3; i++) {
      cache.get(
          key(i),
          () -> {
            loads.incrementAndGet();
            return tile(16);
          });
    }
    cache.get(
        key(0),
        () -> {
          throw new AssertionError("tile 0 is cached");
        });
    cache.get(
        key(3),
        () -> {
          loads.incrementAndGet();
          return tile(16);
        });
    assertThat(cache.bytes()).isEqualTo(3 * one);
    assertThat(cache.size()).isEqualTo(3);
    cache.get(
        key(1),
        () -> {
          loads.incrementAndGet();
          return tile(16);
        });
    assertThat(loads.get()).isEqualTo(5);
    cache.get(
        key(0),
        () -> {
          throw new AssertionError("tile 0 was used recently");
        });
  }

  @Test
  void aTileLargerThanTheBudgetIsServedButNotKept() throws IOException {
    TileCache cache = new TileCache(100);
    TileData big = tile(64);
    assertThat(cache.get(key(0), () -> big)).isSameAs(big);
    assertThat(cache.size()).isZero();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void requestsForATileBeingLoadedWaitForThatLoad() throws Exception {
    TileCache cache = new TileCache(1 << 20);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TileData loaded = tile(4);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      Future<TileData> first =
          pool.submit(
              () ->
                  cache.get(
                      key(7),
                      () -> {
                        started.countDown();
                        await(release);
                        return loaded;
                      }));
      started.await();
      List<Future<TileData>> others = new ArrayList<>();
      for (int t = 0; t < 7; t++) {
        others.add(
            pool.submit(
                () ->
                    cache.get(
                        key(7),
                        () -> {
                          throw new AssertionError("loaded twice");
                        })));
      }
      release.countDown();
      assertThat(first.get()).isSameAs(loaded);
      for (Future<TileData> f : others) {
        assertThat(f.get()).isSameAs(loaded);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  @Test
  void aFailedLoadIsNotCachedAndReachesEveryWaiter() throws IOException {
    TileCache cache = new TileCache(1 << 20);
    assertThatThrownBy(
            () ->
                cache.get(
                    key(1),
                    () -> {
                      throw new IOException("disk gone");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk gone");
    assertThat(cache.get(key(1), () -> tile(2)).rows()).isEqualTo(2);
  }

  @Test
  void forgettingARunDropsItsTiles() throws IOException {
    TileCache cache = new TileCache(1 << 20);
    cache.get(new TileCache.Key("a", "dot", 1, 0, 0, false), () -> tile(2));
    cache.get(new TileCache.Key("b", "dot", 1, 0, 0, false), () -> tile(2));
    cache.forget("a");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.bytes()).isEqualTo(tile(2).bytes());
  }

  @Test
  void transposeSwapsRowsAndColumns() {
    TileData t = new TileData(2, 3, new float[] {1, 2, 3, 4, 5, 6}, null, null);
    TileData u = t.transpose();
    assertThat(u.rows()).isEqualTo(3);
    assertThat(u.cols()).isEqualTo(2);
    assertThat(u.mean()).containsExactly(1, 4, 2, 5, 3, 6);
    assertThat(u.max()).isNull();
  }
}
