package org.simheat.viewer.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.simheat.viewer.testing.RawHttp;

/**
 * Drives a server on loopback with concurrent keep-alive clients: each client is a thread with one
 * HTTP/1.1 connection, opened before the clock starts, that sends a request, reads the whole answer
 * and sends the next. The clients share a fixed number of requests (request k goes to {@code
 * targets.apply(k)}), so every scenario ends. A connection that fails is counted as an error and
 * reopened.
 */
final class LoadDriver {
  private final int port;
  private final boolean gzip;

  /**
   * @param port the server's loopback port
   * @param gzip whether clients send {@code Accept-Encoding: gzip}, as browsers do
   */
  LoadDriver(int port, boolean gzip) {
    this.port = port;
    this.gzip = gzip;
  }

  /**
   * Runs {@code requests} requests over {@code clients} connections.
   *
   * @throws IOException if a client cannot connect at all
   * @throws InterruptedException if interrupted while waiting for the clients
   */
  LoadResult run(String scenario, int clients, int requests, IntFunction<String> targets)
      throws IOException, InterruptedException {
    long[] nanos = new long[requests];
    Arrays.fill(nanos, -1);
    AtomicInteger next = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    Map<String, Integer> errors = new ConcurrentSkipListMap<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      RawHttp connection = new RawHttp(port);
      Thread t =
          new Thread(
              () -> serve(connection, go, next, requests, targets, new Tally(nanos, bytes, errors)),
              "bench-client-" + c);
      threads.add(t);
      t.start();
    }
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long wall = System.nanoTime() - start;
    long[] answered = Arrays.stream(nanos).filter(x -> x >= 0).toArray();
    return LoadResult.of(scenario, clients, answered, errors, wall, bytes.get());
  }

  /** Where clients record what they measured. */
  private record Tally(long[] nanos, AtomicLong bytes, Map<String, Integer> errors) {
    void error(String kind) {
      errors.merge(kind, 1, Integer::sum);
    }
  }

  /** One client's loop: take the next request number until none is left. */
  private void serve(
      RawHttp first,
      CountDownLatch go,
      AtomicInteger next,
      int requests,
      IntFunction<String> targets,
      Tally tally) {
    RawHttp http = first;
    try {
      go.await();
      for (int k = next.getAndIncrement(); k < requests; k = next.getAndIncrement()) {
        http = exchange(http, targets.apply(k), k, tally);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(http);
    }
  }

  /** Sends one request and records its latency; returns the connection to use next. */
  private RawHttp exchange(RawHttp http, String target, int k, Tally tally) {
    long t0 = System.nanoTime();
    try {
      if (gzip) {
        http.get(target, "Accept-Encoding: gzip");
      } else {
        http.get(target);
      }
      RawHttp.Response r = http.read();
      long elapsed = System.nanoTime() - t0;
      if (r.status() == 200) {
        tally.nanos()[k] = elapsed;
        tally.bytes().addAndGet(bodyBytes(r));
      } else {
        tally.error("HTTP " + r.status());
      }
      return http;
    } catch (SocketTimeoutException e) {
      tally.error("no answer in 30 s");
    } catch (IOException e) {
      tally.error("connection lost");
    }
    closeQuietly(http);
    return reconnect();
  }

  private static long bodyBytes(RawHttp.Response r) {
    String length = r.headers().get("content-length");
    return length != null ? Long.parseLong(length) : r.body().length();
  }

  private RawHttp reconnect() {
    try {
      return new RawHttp(port);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reconnect to 127.0.0.1:" + port, e);
    }
  }

  private static void closeQuietly(RawHttp http) {
    try {
      http.close();
    } catch (IOException e) {
      // The connection is being dropped either way.
    }
  }
}
