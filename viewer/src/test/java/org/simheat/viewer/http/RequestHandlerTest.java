package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.MatrixViewerService;
import org.simheat.viewer.testing.TestServer;

/** The handler alone on an {@link EmbeddedChannel}, with a service executor the test drives. */
class RequestHandlerTest {
  private final Queue<Runnable> serviceTasks = new ArrayDeque<>();
  private final AnswerPermits inFlight = new AnswerPermits(2, Duration.ofSeconds(20));

  private EmbeddedChannel channel(Executor executor) {
    return new EmbeddedChannel(
        new RequestHandler(
            new ApiRoutes(new MatrixViewerService(), 1 << 20),
            StaticFiles.load(getClass().getClassLoader(), "testweb"),
            new AccessGuard(null, "127.0.0.1", 8080),
            executor,
            inFlight));
  }

  private static FullHttpRequest request(HttpMethod method, String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  private static String body(FullHttpResponse r) {
    try {
      return r.content().toString(StandardCharsets.UTF_8);
    } finally {
      r.release();
    }
  }

  @Test
  void aRequestInFlightHoldsBackTheNextAndPausesReading() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    ch.writeInbound(request(HttpMethod.GET, "/api/runs/latest/manifest"));
    ch.writeInbound(request(HttpMethod.GET, "/healthz"));
    Object nothing = ch.readOutbound();
    assertThat(nothing).as("manifest in flight, health check queued").isNull();
    assertThat(ch.config().isAutoRead()).isFalse();
    assertThat(serviceTasks).hasSize(1);

    serviceTasks.poll().run();
    assertThat(inFlight.available()).as("the answer holds a permit until written").isOne();
    ch.runPendingTasks();

    FullHttpResponse manifest = ch.readOutbound();
    assertThat(manifest.status().code()).isEqualTo(200);
    assertThat(inFlight.available()).as("written: permit released").isEqualTo(2);
    assertThat(TestServer.json(body(manifest)).get("runId").asText())
        .isEqualTo(MatrixViewerService.RUN);
    FullHttpResponse health = ch.readOutbound();
    assertThat(body(health)).isEqualTo("{\"status\":\"ok\"}");
    assertThat(ch.config().isAutoRead()).isTrue();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aTileOfReadyBytesFreesItsPermitBeforeItIsWritten() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    ch.writeInbound(request(HttpMethod.GET, "/api/runs/latest/tiles/dot/1/0/0?format=f32"));

    serviceTasks.poll().run();
    assertThat(inFlight.available()).as("shared bytes need no permit").isEqualTo(2);
    ch.runPendingTasks();

    FullHttpResponse tile = ch.readOutbound();
    assertThat(tile.status().code()).isEqualTo(200);
    assertThat(tile.headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(tile.content().isDirect()).as("written from the cache without a copy").isTrue();
    assertThat(tile.content().readableBytes()).isEqualTo(40 + 3 * 4 * 4 * 4);
    tile.release();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aRejectedCallIs503AndTheNextRequestStillRuns() {
    EmbeddedChannel ch =
        channel(
            task -> {
              throw new RejectedExecutionException("full");
            });
    ch.writeInbound(request(HttpMethod.GET, "/api/runs"));
    ch.writeInbound(request(HttpMethod.GET, "/healthz"));
    FullHttpResponse busy = ch.readOutbound();
    assertThat(busy.status().code()).isEqualTo(503);
    assertThat(ErrorBodies.assertClean(body(busy))).isEqualTo("Server busy: try again");
    assertThat(body(ch.readOutbound())).isEqualTo("{\"status\":\"ok\"}");
    ch.finishAndReleaseAll();
  }

  @Test
  void decodingFailuresCloseTheConnection() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    FullHttpRequest broken = request(HttpMethod.GET, "/bad-request");
    broken.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("too long")));
    ch.writeInbound(broken);
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(431);
    assertThat(r.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(ErrorBodies.assertClean(body(r))).isEqualTo("Request headers too large");
    ch.finishAndReleaseAll();
  }

  @Test
  void otherMethodsAre405WithoutTouchingTheService() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    ch.writeInbound(request(HttpMethod.POST, "/api/runs"));
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(405);
    assertThat(r.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
    assertThat(body(r)).isEqualTo("{\"error\":\"Method POST not allowed: use GET\"}");
    assertThat(serviceTasks).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void queuedRequestsAreReleasedWhenTheConnectionCloses() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    FullHttpRequest queued = request(HttpMethod.GET, "/healthz");
    ch.writeInbound(request(HttpMethod.GET, "/api/runs"));
    ch.writeInbound(queued);
    assertThat(queued.refCnt()).isEqualTo(1);
    ch.close();
    assertThat(queued.refCnt()).isZero();
    serviceTasks.poll().run();
    ch.runPendingTasks();
    ch.finishAndReleaseAll();
  }

  @Test
  void entityTagsAnswer304() {
    EmbeddedChannel ch = channel(serviceTasks::add);
    ch.writeInbound(request(HttpMethod.GET, "/style.css"));
    FullHttpResponse first = ch.readOutbound();
    String etag = first.headers().get(HttpHeaderNames.ETAG);
    body(first);
    FullHttpRequest again = request(HttpMethod.GET, "/style.css");
    again.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"nope\", W/" + etag);
    ch.writeInbound(again);
    FullHttpResponse second = ch.readOutbound();
    assertThat(second.status().code()).isEqualTo(304);
    assertThat(second.content().readableBytes()).isZero();
    assertThat(second.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("45");
    body(second);
    ch.finishAndReleaseAll();
  }
}
