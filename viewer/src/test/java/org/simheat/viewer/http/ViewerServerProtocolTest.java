package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.MatrixViewerService;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.TestServer;

/**
 * HTTP/1.1 behaviour over real sockets: keep-alive, pipelining, gzip, size caps, and service calls
 * kept off the event loop on a bounded executor.
 */
class ViewerServerProtocolTest {
  private static final String TILE = "/api/runs/latest/tiles/cosine/2/0/0";
  private static final String BIG_JSON = "/api/runs/latest/view?metric=l2";

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      http.get("/healthz");
      RawHttp.Response first = http.read();
      http.get("/api/runs");
      RawHttp.Response second = http.read();
      http.get("/nothing");
      RawHttp.Response third = http.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(second.status()).isEqualTo(200);
      assertThat(TestServer.json(second.body()).get(0).get("runId").asText())
          .isEqualTo(MatrixViewerService.RUN);
      assertThat(third.status()).as("a 404 keeps the connection").isEqualTo(404);
      http.get("/healthz");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterTheResponse() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      http.send("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      CountDownLatch gate = new CountDownLatch(1);
      server.service().holdTiles(gate);
      String host = "Host: 127.0.0.1\r\n";
      http.send(
          "GET "
              + TILE
              + " HTTP/1.1\r\n"
              + host
              + "\r\n"
              + "GET /healthz HTTP/1.1\r\n"
              + host
              + "\r\n"
              + "GET /api/runs/latest/tokens?q=tok HTTP/1.1\r\n"
              + host
              + "\r\n");
      gate.countDown();
      assertThat(TestServer.json(http.read().body()).get("span").asLong()).isEqualTo(1);
      assertThat(http.read().body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(TestServer.json(http.read().body()).size()).isEqualTo(2);
    }
  }

  @Test
  void serviceCallsNeverBlockTheEventLoop() throws Exception {
    try (TestServer server = TestServer.start(o -> o.withThreads(1, 2));
        RawHttp slow = new RawHttp(server.port());
        RawHttp fast = new RawHttp(server.port())) {
      CountDownLatch gate = new CountDownLatch(1);
      server.service().holdTiles(gate);
      slow.get(TILE);
      awaitCalls(server, 1);
      fast.get("/api/runs/latest/manifest");
      assertThat(fast.read().status()).as("answered while a tile call blocks").isEqualTo(200);
      fast.get("/app.js");
      assertThat(fast.read().status()).isEqualTo(200);
      gate.countDown();
      assertThat(slow.read().status()).isEqualTo(200);
      assertThat(server.service().callThreads()).allMatch(t -> t.startsWith("simheat-service"));
    }
  }

  @Test
  void aFullServiceQueueAnswers503() throws Exception {
    try (TestServer server =
        TestServer.start(
            o ->
                new ServerOptions(
                    o.host(),
                    0,
                    null,
                    o.webRoot(),
                    1,
                    1,
                    1,
                    o.maxRequestBytes(),
                    0,
                    false,
                    o.requestTimeout(),
                    o.idleTimeout()))) {
      CountDownLatch gate = new CountDownLatch(1);
      server.service().holdTiles(gate);
      CompletableFuture<HttpResponse<String>> running = getAsync(server, TILE);
      awaitCalls(server, 1);
      CompletableFuture<HttpResponse<String>> b = getAsync(server, TILE);
      CompletableFuture<HttpResponse<String>> c = getAsync(server, TILE);
      HttpResponse<?> rejected = (HttpResponse<?>) CompletableFuture.anyOf(b, c).join();
      assertThat(rejected.statusCode()).isEqualTo(503);
      assertThat(rejected.headers().firstValue("retry-after")).hasValue("1");
      assertThat(ErrorBodies.assertClean((String) rejected.body()))
          .isEqualTo("Server busy: try again");
      gate.countDown();
      List<Integer> statuses =
          List.of(running.join().statusCode(), b.join().statusCode(), c.join().statusCode());
      assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503);
    }
  }

  @Test
  void gzipWhenAcceptedForJsonAndTextAboveOneKibibyte() throws IOException {
    try (TestServer server = TestServer.start(o -> o.withGzipLoopback(true))) {
      String plain = server.get(BIG_JSON).body();
      for (String accept : new String[] {"gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5"}) {
        HttpResponse<byte[]> zipped = getBytes(server, BIG_JSON, accept);
        assertThat(zipped.headers().firstValue("content-encoding")).as(accept).hasValue("gzip");
        assertThat(gunzip(zipped.body())).isEqualTo(plain);
        assertThat(zipped.body().length).isLessThan(plain.length());
      }
      HttpResponse<byte[]> script = getBytes(server, "/app.js", "gzip");
      assertThat(script.headers().firstValue("content-encoding")).hasValue("gzip");
      assertThat(gunzip(script.body())).startsWith("// Test script");
    }
  }

  @Test
  void loopbackClientsGetNoGzipUnlessTheServerIsToldTo() throws IOException {
    try (TestServer server = TestServer.start()) {
      HttpResponse<byte[]> plain = getBytes(server, BIG_JSON, "gzip");
      assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
      assertThat(new String(plain.body(), StandardCharsets.UTF_8))
          .isEqualTo(server.get(BIG_JSON).body());
    }
  }

  @Test
  void noGzipUnlessAcceptedOrWorthIt() throws IOException {
    try (TestServer server = TestServer.start(o -> o.withGzipLoopback(true))) {
      assertThat(getBytes(server, BIG_JSON, "identity").headers().firstValue("content-encoding"))
          .isEmpty();
      assertThat(getBytes(server, BIG_JSON, "gzip;q=0, deflate").headers().map())
          .doesNotContainKey("content-encoding");
      HttpResponse<byte[]> small = getBytes(server, "/healthz", "gzip");
      assertThat(small.headers().firstValue("content-encoding")).as("under 1 KiB").isEmpty();
      assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void requestsOverTheSizeCapAre413AndClose() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      http.send("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n");
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
      assertThat(ErrorBodies.assertClean(r.body()))
          .isEqualTo("Request too large: at most 65536 bytes");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void chunkedBodiesOverTheCapAre413() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      String chunk = "x".repeat(40_000);
      http.send(
          "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n"
              + Integer.toHexString(chunk.length())
              + "\r\n"
              + chunk
              + "\r\n0\r\n\r\n");
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(ErrorBodies.assertClean(r.body()))
          .isEqualTo("Request too large: at most 65536 bytes");
    }
  }

  @Test
  void smallBodiesAreReadAndIgnoredOnGet() throws IOException {
    try (TestServer server = TestServer.start();
        RawHttp http = new RawHttp(server.port())) {
      http.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(http.read().status()).isEqualTo(200);
      http.get("/healthz");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }

  @Test
  void overlongLinesAndHeadersAre414And431() throws IOException {
    try (TestServer server = TestServer.start()) {
      try (RawHttp http = new RawHttp(server.port())) {
        http.get("/api/runs/latest/tokens?q=" + "a".repeat(5000));
        RawHttp.Response r = http.read();
        assertThat(r.status()).isEqualTo(414);
        assertThat(ErrorBodies.assertClean(r.body())).isEqualTo("Request line too long");
      }
      try (RawHttp http = new RawHttp(server.port())) {
        http.get("/healthz", "X-Padding: " + "b".repeat(9000));
        RawHttp.Response r = http.read();
        assertThat(r.status()).isEqualTo(431);
        assertThat(ErrorBodies.assertClean(r.body())).isEqualTo("Request headers too large");
      }
      try (RawHttp http = new RawHttp(server.port())) {
        http.send("NOT HTTP AT ALL\r\n\r\n");
        RawHttp.Response r = http.read();
        assertThat(r.status()).isEqualTo(400);
        assertThat(ErrorBodies.assertClean(r.body())).isEqualTo("Malformed HTTP request");
      }
    }
  }

  @Test
  void closeIsGracefulAndIdempotent() throws IOException {
    TestServer server = TestServer.start();
    int port = server.port();
    assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    server.close();
    server.close();
    assertThat(canConnect(port)).isFalse();
  }

  private static boolean canConnect(int port) {
    try (RawHttp http = new RawHttp(port)) {
      return http != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitCalls(TestServer server, int count) throws InterruptedException {
    while (server.service().callThreads().size() < count) {
      Thread.sleep(5);
    }
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(
      TestServer server, String target) {
    return server
        .client()
        .sendAsync(
            HttpRequest.newBuilder(server.uri(target)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> getBytes(TestServer server, String target, String accept) {
    try {
      return server
          .client()
          .send(
              HttpRequest.newBuilder(server.uri(target)).header("Accept-Encoding", accept).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String gunzip(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
