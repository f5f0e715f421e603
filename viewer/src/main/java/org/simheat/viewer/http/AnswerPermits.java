package org.simheat.viewer.http;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permits that bound the API answers computed but not yet written, shared by every connection:
 * a service call takes one before it runs and gives it back once its answer is written, so that
 * under load service threads wait instead of piling bodies up on the heap.
 *
 * <p>An answer whose client has stopped reading would hold its permit until the idle timeout, and a
 * few such clients would hold them all and stall every other call. So a call that has waited {@code
 * stall} for a permit closes the connection of the holder whose answer has moved least recently, if
 * it has not moved for {@code stall} either ({@link IdleFilter} tells when the socket last took
 * bytes); its write fails and its permit returns. A slow client that keeps reading is left alone.
 */
final class AnswerPermits {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerPermits.class);

  private final Semaphore permits;
  private final long stallNanos;
  private final Map<Object, Holder> writing = new ConcurrentHashMap<>();

  /** A permit held by an answer being written on a channel since {@code sinceNanos}. */
  private record Holder(Channel channel, long sinceNanos) {
    /** When the answer last moved: when its write began, or when the socket last took bytes. */
    long lastMoved() {
      IdleFilter progress = channel.pipeline().get(IdleFilter.class);
      return progress == null ? sinceNanos : Math.max(sinceNanos, progress.lastProgressNanos());
    }
  }

  /**
   * {@code count} permits; a holder whose answer has not moved for {@code stall} is dropped when a
   * call has waited as long.
   */
  AnswerPermits(int count, Duration stall) {
    this.permits = new Semaphore(count);
    this.stallNanos = stall.toNanos();
  }

  /** Takes a permit, waiting as long as needed and dropping stalled holders meanwhile. */
  void acquire() {
    boolean interrupted = false;
    while (true) {
      try {
        if (permits.tryAcquire(stallNanos, TimeUnit.NANOSECONDS)) {
          break;
        }
        dropStalled();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives a permit back without a write (the answer needed none). */
  void release() {
    permits.release();
  }

  /**
   * Records that a held permit now waits for an answer to be written on {@code channel}; returns
   * what to run once the write is over (successful or not): it gives the permit back.
   */
  Runnable heldWhileWriting(Channel channel) {
    Object key = new Object();
    writing.put(key, new Holder(channel, System.nanoTime()));
    return () -> {
      if (writing.remove(key) != null) {
        permits.release();
      }
    };
  }

  /** Permits free now. */
  int available() {
    return permits.availablePermits();
  }

  private void dropStalled() {
    long now = System.nanoTime();
    Holder oldest = null;
    for (Holder h : writing.values()) {
      if (oldest == null || h.lastMoved() < oldest.lastMoved()) {
        oldest = h;
      }
    }
    if (oldest != null && now - oldest.lastMoved() >= stallNanos) {
      LOG.info(
          "Closing {}: its answer has not moved for {} ms while other calls wait",
          oldest.channel().remoteAddress(),
          (now - oldest.lastMoved()) / 1_000_000);
      oldest.channel().close();
    }
  }
}
