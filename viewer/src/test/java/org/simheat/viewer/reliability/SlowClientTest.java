package org.simheat.viewer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.TestServer;

/**
 * Slow clients against a real server with one I/O thread and one service thread: a client that
 * trickles its request a byte a second is answered 408 and dropped once the request deadline
 * passes, and meanwhile holds no thread (other clients are answered); an idle keep-alive connection
 * outlives the request deadline and is closed after the idle timeout; a download that a slow client
 * reads steadily for longer than both timeouts arrives whole.
 */
class SlowClientTest {
  private static final Duration REQUEST = Duration.ofSeconds(2);
  private static final int TRICKLERS = 5;

  @Test
  void clientsTricklingAByteASecondAreDroppedWithoutHoldingAThread() throws Exception {
    try (TestServer server =
        TestServer.start(o -> o.withThreads(1, 1).withTimeouts(REQUEST, Duration.ofSeconds(60)))) {
      String request =
          "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(40) + "\r\n\r\n";
      ExecutorService readers = Executors.newFixedThreadPool(TRICKLERS);
      List<RawHttp> slow = new ArrayList<>();
      List<CompletableFuture<RawHttp.Response>> answers = new ArrayList<>();
      for (int c = 0; c < TRICKLERS; c++) {
        RawHttp http = new RawHttp(server.port());
        slow.add(http);
        answers.add(CompletableFuture.supplyAsync(() -> readQuietly(http), readers));
      }
      int sent = 0;
      List<Integer> othersDuringTrickle = new ArrayList<>();
      while (sent < request.length() && !answers.stream().allMatch(CompletableFuture::isDone)) {
        for (RawHttp http : slow) {
          trickle(http, request.charAt(sent));
        }
        sent++;
        HttpResponse<String> other = server.get("/api/runs/latest/tiles/cosine/2/0/0");
        if (answers.stream().noneMatch(CompletableFuture::isDone)) {
          othersDuringTrickle.add(other.statusCode());
        }
        assertThat(other.statusCode()).isEqualTo(200);
        Thread.sleep(1000);
      }
      System.out.printf(
          "%d slow clients dropped after %d of %d bytes, a byte a second; %d other requests"
              + " answered meanwhile%n",
          TRICKLERS, sent, request.length(), othersDuringTrickle.size());
      assertThat(sent).as("bytes sent before the server dropped them").isLessThan(request.length());
      assertThat(othersDuringTrickle).isNotEmpty().containsOnly(200);
      for (int c = 0; c < TRICKLERS; c++) {
        RawHttp.Response r = answers.get(c).join();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.headers())
            .containsEntry("connection", "close")
            .containsEntry("x-content-type-options", "nosniff")
            .containsEntry("x-frame-options", "DENY")
            .containsKey("content-security-policy");
        assertThat(ErrorBodies.assertClean(r.body()))
            .isEqualTo("Request not received in time: the connection is closed");
        assertThat(slow.get(c).closedByServer()).isTrue();
        slow.get(c).close();
      }
      readers.shutdown();
      assertThat(server.get("/api/runs").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anIdleKeepAliveConnectionOutlivesTheRequestDeadlineAndClosesAfterTheIdleTimeout()
      throws Exception {
    try (TestServer server =
            TestServer.start(
                o ->
                    o.withThreads(1, 1)
                        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        RawHttp http = new RawHttp(server.port())) {
      http.get("/api/runs");
      assertThat(http.read().status()).isEqualTo(200);
      // Idle for longer than the request deadline, well within the idle timeout.
      Thread.sleep(1500);
      http.get("/api/runs");
      assertThat(http.read().status()).isEqualTo(200);
      assertThat(http.closedByServer()).as("closed once idle for 4 s").isTrue();
    }
  }

  @Test
  void aSlowButSteadyDownloadIsNotCutOff() throws Exception {
    // One answer of 21.5 MB (a 512 × 512 view spec) read at a steady 2 MB/s takes about 11 s, far
    // longer than the 3 s idle timeout; Netty's idle timer sees a write only once it completes, so
    // this answer used to be cut off after 3 s. The socket takes it in bursts: once the kernel's
    // send buffer (4 MB at most here) is full, the writer is woken when a third of it has
    // drained, about every 0.7 s at this pace, well inside the idle timeout. The reader paces
    // itself by the clock (bytes so far ÷ rate), so a busy machine slows it down only briefly.
    Duration idle = Duration.ofSeconds(3);
    String view = "/api/runs/latest/view?res=512";
    try (TestServer server =
        TestServer.over(
            new RunService(Fixture.dataDir()),
            o -> o.withThreads(1, 1).withTimeouts(Duration.ofSeconds(1), idle))) {
      byte[] whole = server.getBytes(view).body();
      assertThat(whole.length).isGreaterThan(8 * BYTES_PER_SECOND);
      long t0 = System.nanoTime();
      byte[] slow = slowDownload(server.port(), view);
      System.out.printf(
          "%d bytes read slowly in %.1f s with a %d s idle timeout%n",
          slow.length, (System.nanoTime() - t0) / 1e9, idle.toSeconds());
      assertThat(slow).isEqualTo(whole);
    }
  }

  @Test
  void aClientThatStopsReadingItsAnswersIsDroppedAfterTheIdleTimeout() throws Exception {
    String tile = "/api/runs/latest/tiles/cosine/2/0/0";
    try (TestServer server =
            TestServer.over(
                new RunService(Fixture.dataDir()),
                o ->
                    o.withThreads(1, 1)
                        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        Socket socket = new Socket()) {
      int one = server.getBytes(tile).body().length;
      socket.setReceiveBufferSize(32 << 10);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      String request = "GET " + tile + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      socket.getOutputStream().write(request.repeat(4).getBytes(StandardCharsets.ISO_8859_1));
      // Reads nothing for several idle timeouts: the answers stop moving and the server drops
      // the connection (two idle events without progress), freeing what the answers held.
      Thread.sleep(5000);
      assertThat(server.get(tile).statusCode()).isEqualTo(200);
      long received = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
      assertThat(received).as("bytes before the server closed").isLessThan(4L * one);
    }
  }

  @Test
  void clientsThatNeverReadLargeAnswersDoNotStallOtherCalls() throws Exception {
    // One service thread: two permits for answers not yet written. Each of three clients asks for
    // four large views (heap answers, about 3 MB each) and reads nothing, so their answers stand
    // still and hold every permit; the idle timeout (an hour) would not free them.
    String view = "/api/runs/latest/view?metric=cosine&agg=mean&x0=0&x1=600&y0=0&y1=600&res=512";
    try (TestServer server =
        TestServer.over(
            new RunService(Fixture.dataDir()),
            o -> o.withThreads(1, 1).withTimeouts(REQUEST, Duration.ofHours(1)))) {
      List<Socket> stalled = new ArrayList<>();
      try {
        for (int c = 0; c < 3; c++) {
          Socket socket = new Socket();
          socket.setReceiveBufferSize(16 << 10);
          socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
          String request = "GET " + view + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
          socket.getOutputStream().write(request.repeat(4).getBytes(StandardCharsets.ISO_8859_1));
          stalled.add(socket);
        }
        // Another client is answered: a stalled holder is dropped once a call has waited for a
        // permit as long as the request timeout (the minute is only an upper bound).
        HttpResponse<String> manifest =
            server.send(
                HttpRequest.newBuilder(server.uri("/api/runs/latest/manifest"))
                    .timeout(Duration.ofMinutes(1))
                    .build());
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(server.get(view).statusCode()).isEqualTo(200);
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  /**
   * GETs targets, pipelined, over a socket with a 32 KiB receive buffer, reading at most 32 KiB
   * every 50 ms (at most about 650 KB/s), so the answers take seconds to arrive, and returns their
   * bodies.
   */
  /** The pace of {@link #slowDownload}: bytes per second. */
  private static final int BYTES_PER_SECOND = 2 << 20;

  private static byte[] slowDownload(int port, String target) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(32 << 10);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("the response head ends").isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 200 ");
      int length = contentLength(head.toString());
      byte[] body = new byte[length];
      long start = System.nanoTime();
      for (int got = 0; got < length; ) {
        int n = in.read(body, got, Math.min(32 << 10, length - got));
        assertThat(n).as("bytes after %d of %d", got, length).isNotNegative();
        got += n;
        long due = start + (long) (got * 1e9 / BYTES_PER_SECOND);
        sleepQuietly(Math.max(0, (due - System.nanoTime()) / 1_000_000));
      }
      return body;
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).strip());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }

  private static void trickle(RawHttp http, char c) {
    try {
      http.send(String.valueOf(c));
    } catch (IOException e) {
      // The server closed the connection: its answer (408) is read by the reader.
    }
  }

  private static RawHttp.Response readQuietly(RawHttp http) {
    try {
      return http.read();
    } catch (IOException e) {
      throw new IllegalStateException("no answer: " + e.getMessage(), e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
