package org.simheat.viewer.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Drives a server on loopback with concurrent keep-alive clients: each client is a thread with one
 * HTTP/1.1 connection, opened before the clock starts, that takes the next request number, sends
 * request k ({@code requests.apply(k)}), reads the whole answer and checks it. Three shapes:
 *
 * <ul>
 *   <li>closed loop: each client sends its next request as soon as the last is answered, so latency
 *       at c clients is about c ÷ throughput once the server is saturated (Little's law);
 *   <li>paced: request k is due at start + k ÷ rate, whichever client is free sends it, and its
 *       latency counts from when it was due (a late request is not forgiven its wait);
 *   <li>timed: closed loop until a deadline, every request kind tallied apart.
 * </ul>
 *
 * A connection that fails is counted as an error and reopened.
 */
final class LoadDriver {
  private final int port;

  /**
   * One request.
   *
   * @param kind what it is, to tally kinds apart in a mix
   * @param target the request target
   * @param gzip whether to send {@code Accept-Encoding: gzip}, as browsers do
   * @param check what a right answer looks like
   * @param keepBody whether the check needs the whole body ({@code Response.body()}), not only its
   *     first bytes
   */
  record Request(String kind, String target, boolean gzip, Check check, boolean keepBody) {
    /** A request whose check needs only the first bytes of the body. */
    Request(String kind, String target, boolean gzip, Check check) {
      this(kind, target, gzip, check, false);
    }

    /** This request under another kind. */
    Request as(String newKind) {
      return new Request(newKind, target, gzip, check, keepBody);
    }
  }

  /** Checks a 200 answer's body. */
  @FunctionalInterface
  interface Check {
    /** What is wrong with the answer, or null. */
    String problem(BenchClient.Response r);

    /** Any 200 answer. */
    Check ANY = r -> null;
  }

  LoadDriver(int port) {
    this.port = port;
  }

  /** Closed loop: {@code count} requests over {@code clients} connections. */
  LoadResult closed(String scenario, int clients, int count, IntFunction<Request> requests)
      throws IOException, InterruptedException {
    return run(scenario, clients, count, 0, Long.MAX_VALUE, requests).get(scenario);
  }

  /** Paced: {@code count} requests due at {@code perSecond}, over {@code clients} connections. */
  LoadResult paced(
      String scenario, int clients, int count, double perSecond, IntFunction<Request> requests)
      throws IOException, InterruptedException {
    return run(scenario, clients, count, perSecond, Long.MAX_VALUE, requests).get(scenario);
  }

  /**
   * Closed loop for {@code seconds}: results by request kind, and over all under {@code scenario}.
   */
  Map<String, LoadResult> timed(
      String scenario, int clients, double seconds, IntFunction<Request> requests)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    return run(scenario, clients, Integer.MAX_VALUE, 0, deadline, requests);
  }

  private Map<String, LoadResult> run(
      String scenario,
      int clients,
      int count,
      double perSecond,
      long deadline,
      IntFunction<Request> requests)
      throws IOException, InterruptedException {
    AtomicInteger next = new AtomicInteger();
    Map<String, Integer> errors = new ConcurrentSkipListMap<>();
    AtomicLong bytes = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Client> all = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      all.add(
          new Client(new BenchClient(port), go, next, count, deadline, requests, errors, bytes));
    }
    List<Thread> threads = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(all.get(c), "bench-client-" + c);
      threads.add(t);
      t.start();
    }
    long start = System.nanoTime();
    all.forEach(c -> c.start(start, perSecond));
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long wall = System.nanoTime() - start;
    return results(scenario, clients, all, errors, wall, bytes.get());
  }

  private static Map<String, LoadResult> results(
      String scenario,
      int clients,
      List<Client> all,
      Map<String, Integer> errors,
      long wall,
      long bytes) {
    Map<String, List<long[]>> byKind = new LinkedHashMap<>();
    List<long[]> every = new ArrayList<>();
    for (Client c : all) {
      for (int k = 0; k < c.size; k++) {
        long[] rec = {c.nanos[k]};
        byKind.computeIfAbsent(c.kinds[k], x -> new ArrayList<>()).add(rec);
        every.add(rec);
      }
    }
    Map<String, LoadResult> out = new LinkedHashMap<>();
    out.put(scenario, LoadResult.of(scenario, clients, flat(every), errors, wall, bytes));
    if (byKind.size() > 1) {
      byKind.forEach(
          (kind, recs) ->
              out.put(kind, LoadResult.of(kind, clients, flat(recs), Map.of(), wall, 0)));
    }
    return out;
  }

  private static long[] flat(List<long[]> recs) {
    long[] out = new long[recs.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = recs.get(k)[0];
    }
    return out;
  }

  /** One client: a connection and what it measured. */
  private final class Client implements Runnable {
    private BenchClient http;
    private final CountDownLatch go;
    private final AtomicInteger next;
    private final int count;
    private final long deadline;
    private final IntFunction<Request> requests;
    private final Map<String, Integer> errors;
    private final AtomicLong bytes;
    private long start;
    private double perSecond;
    long[] nanos = new long[256];
    String[] kinds = new String[256];
    int size;

    Client(
        BenchClient http,
        CountDownLatch go,
        AtomicInteger next,
        int count,
        long deadline,
        IntFunction<Request> requests,
        Map<String, Integer> errors,
        AtomicLong bytes) {
      this.http = http;
      this.go = go;
      this.next = next;
      this.count = count;
      this.deadline = deadline;
      this.requests = requests;
      this.errors = errors;
      this.bytes = bytes;
    }

    void start(long startNanos, double rate) {
      this.start = startNanos;
      this.perSecond = rate;
    }

    @Override
    public void run() {
      try {
        go.await();
        for (int k = next.getAndIncrement();
            k < count && System.nanoTime() < deadline;
            k = next.getAndIncrement()) {
          long due = perSecond > 0 ? start + (long) (k / perSecond * 1e9) : System.nanoTime();
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
          Request request;
          try {
            request = requests.apply(k);
          } catch (RuntimeException e) {
            errors.merge("bad request " + k + ": " + e, 1, Integer::sum);
            continue;
          }
          exchange(request, perSecond > 0 ? due : System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(http);
      }
    }

    private void exchange(Request request, long t0) {
      try {
        BenchClient.Response r = http.get(request.target(), request.gzip(), request.keepBody());
        long elapsed = System.nanoTime() - t0;
        String problem = r.status() != 200 ? "HTTP " + r.status() : request.check().problem(r);
        if (problem != null) {
          errors.merge(request.kind() + ": " + problem, 1, Integer::sum);
          return;
        }
        record(request.kind(), elapsed);
        bytes.addAndGet(r.bytes());
        return;
      } catch (SocketTimeoutException e) {
        errors.merge(request.kind() + ": no answer in 60 s", 1, Integer::sum);
      } catch (IOException | RuntimeException e) {
        errors.merge(request.kind() + ": " + e.getClass().getSimpleName(), 1, Integer::sum);
      }
      closeQuietly(http);
      http = reconnect();
    }

    private void record(String kind, long elapsed) {
      if (size == nanos.length) {
        nanos = Arrays.copyOf(nanos, 2 * size);
        kinds = Arrays.copyOf(kinds, 2 * size);
      }
      nanos[size] = elapsed;
      kinds[size++] = kind;
    }
  }

  private BenchClient reconnect() {
    for (int attempt = 0; ; attempt++) {
      try {
        return new BenchClient(port);
      } catch (IOException e) {
        if (attempt >= 50) {
          throw new IllegalStateException("Cannot reconnect to 127.0.0.1:" + port, e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  private static void closeQuietly(BenchClient http) {
    try {
      http.close();
    } catch (IOException e) {
      // The connection is being dropped either way.
    }
  }
}
