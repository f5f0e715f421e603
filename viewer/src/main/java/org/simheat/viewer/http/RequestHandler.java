package org.simheat.viewer.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.simheat.viewer.service.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one connection's requests, one at a time and in order: guards (decoding, header count,
 * origin, method, target, fetch site, access; refusals of origin, site, token and host are logged
 * at WARN), then {@code /healthz}, the API (run on the service executor, written back on this
 * channel's event loop) or a file of the page.
 *
 * <p>Requests that arrive while one is in flight (pipelining) wait in a queue, and reading pauses
 * until the queue drains, so responses leave in request order and one client cannot queue
 * unboundedly. Errors become {@code {"error": …}}: an {@link ApiException} keeps its status and
 * message; anything else is logged with its stack trace and answered with a bare 500.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

  /** Most header lines a request may have; browsers send about twenty. */
  static final int MAX_HEADERS = 100;

  private static final int MAX_LOGGED = 100;

  private final ApiRoutes routes;
  private final StaticFiles files;
  private final AccessGuard guard;
  private final Executor serviceExecutor;
  private final AnswerPermits inFlight;
  private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
  private boolean busy;

  /** What the access log and the response need from a request, kept after it is released. */
  private record Exchange(HttpMethod method, String uri, long startNanos) {}

  /**
   * A handler for one channel.
   *
   * @param inFlight permits shared by every channel: one is held from the start of a service call
   *     until its answer is written, which bounds the answers waiting in memory
   */
  RequestHandler(
      ApiRoutes routes,
      StaticFiles files,
      AccessGuard guard,
      Executor serviceExecutor,
      AnswerPermits inFlight) {
    this.routes = routes;
    this.files = files;
    this.guard = guard;
    this.serviceExecutor = serviceExecutor;
    this.inFlight = inFlight;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (busy) {
      pending.add(request);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(ctx, request);
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    Exchange exchange = new Exchange(request.method(), request.uri(), System.nanoTime());
    Reply reply;
    try {
      reply = answer(ctx, request, exchange);
    } catch (ApiException e) {
      reply = Reply.error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Cannot answer {} {}", exchange.method(), redacted(exchange.uri()), e);
      reply = Reply.error(500, "internal error");
    } finally {
      request.release();
    }
    if (reply != null) {
      finish(ctx, exchange, reply);
    }
  }

  /** The reply, or null when the request went to the service executor. */
  private Reply answer(ChannelHandlerContext ctx, FullHttpRequest request, Exchange exchange) {
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      return decodingFailure(decoded.cause());
    }
    if (request.headers().size() > MAX_HEADERS) {
      return Reply.error(431, "Too many request headers: at most " + MAX_HEADERS).closing();
    }
    if (AccessGuard.checkOrigin(request.headers()) == AccessGuard.Verdict.FOREIGN_ORIGIN) {
      String origin = String.join(", ", request.headers().getAll(HttpHeaderNames.ORIGIN));
      warnRefused(ctx, request, 403, "cross-origin request from " + forLog(origin));
      return Reply.error(403, "Cross-origin requests are refused");
    }
    if (!HttpMethod.GET.equals(request.method())) {
      return Reply.error(405, "Method " + request.method() + " not allowed: use GET")
          .with("Allow", "GET");
    }
    RequestTarget target = RequestTarget.parse(request.uri());
    if (target.isApi()
        && AccessGuard.checkFetchSite(request.headers()) == AccessGuard.Verdict.FOREIGN_ORIGIN) {
      String site = request.headers().get(AccessGuard.SEC_FETCH_SITE);
      String dest = request.headers().get(AccessGuard.SEC_FETCH_DEST);
      warnRefused(
          ctx, request, 403, "cross-site request (" + forLog(site) + ", for " + forLog(dest) + ")");
      return Reply.error(403, "Cross-origin requests are refused");
    }
    switch (guard.check(request.headers(), target)) {
      case UNAUTHORIZED:
        warnRefused(ctx, request, 401, "missing or wrong access token");
        return Reply.error(401, "Missing or wrong access token").with("WWW-Authenticate", "Bearer");
      case BAD_HOST:
        String host = request.headers().get(HttpHeaderNames.HOST);
        warnRefused(ctx, request, 403, "host name " + forLog(host) + " is not loopback");
        return Reply.error(403, "This server answers only to loopback host names");
      case SET_COOKIE:
        return Reply.redirect(AccessGuard.withoutToken(request.uri()))
            .with("Set-Cookie", guard.setCookie());
      default:
        break;
    }
    if (target.rawPath().equals("/healthz")) {
      return Reply.json(200, HEALTHY);
    }
    if (target.isApi()) {
      ApiRoutes.Call call = routes.resolve(target);
      if (call == null) {
        return Reply.error(404, "No such API route");
      }
      dispatch(ctx, exchange, call);
      return null;
    }
    return staticFile(target.rawPath(), request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
  }

  private static Reply decodingFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Reply.error(414, "Request line too long").closing();
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Reply.error(431, "Request headers too large").closing();
    }
    return Reply.error(400, "Malformed HTTP request").closing();
  }

  private Reply staticFile(String rawPath, String ifNoneMatch) {
    StaticFiles.Asset asset = files.find(rawPath);
    if (asset == null) {
      return Reply.error(404, "Not found");
    }
    return matchesEtag(ifNoneMatch, asset.etag()) ? Reply.notModified(asset) : Reply.asset(asset);
  }

  static boolean matchesEtag(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  /** Runs a call on the service executor and writes its reply back on this channel's loop. */
  private void dispatch(ChannelHandlerContext ctx, Exchange exchange, ApiRoutes.Call call) {
    ctx.channel().config().setAutoRead(false);
    try {
      serviceExecutor.execute(
          () -> {
            inFlight.acquire();
            Reply reply = run(call, exchange);
            boolean shared = reply.body().isDirect();
            if (shared) {
              // Ready bytes of a cache cost nothing more while written: free the permit now.
              inFlight.release();
            }
            writeBack(ctx, exchange, reply, !shared);
          });
    } catch (RejectedExecutionException e) {
      finish(ctx, exchange, Reply.error(503, "Server busy: try again").with("Retry-After", "1"));
    }
  }

  private static Reply run(ApiRoutes.Call call, Exchange exchange) {
    try {
      TileBodies.Body body = call.run();
      return Reply.api(body.bytes(), body.contentType());
    } catch (ApiException e) {
      return Reply.error(e.status(), e.getMessage());
    } catch (RuntimeException | Error e) {
      LOG.error("Cannot answer {} {}", exchange.method(), redacted(exchange.uri()), e);
      return Reply.error(500, "internal error");
    }
  }

  /**
   * Hands a service call's reply to the channel's loop; when it holds a permit, the permit is
   * released once the reply is written.
   */
  private void writeBack(ChannelHandlerContext ctx, Exchange exchange, Reply reply, boolean held) {
    Runnable release = held ? inFlight.heldWhileWriting(ctx.channel()) : () -> {};
    try {
      ctx.executor()
          .execute(
              () -> {
                try {
                  finish(ctx, exchange, reply).addListener(written -> release.run());
                } catch (RuntimeException e) {
                  release.run();
                  throw e;
                }
              });
    } catch (RejectedExecutionException e) {
      release.run();
      LOG.debug("Event loop shut down before {} could be answered", redacted(exchange.uri()));
    }
  }

  /** Writes a reply, logs it, and moves on to the next queued request. */
  private ChannelFuture finish(ChannelHandlerContext ctx, Exchange exchange, Reply reply) {
    ChannelFuture written = ctx.writeAndFlush(toResponse(reply));
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {} {} {}B {}ms",
          exchange.method(),
          redacted(exchange.uri()),
          reply.status(),
          reply.body().remaining(),
          (System.nanoTime() - exchange.startNanos()) / 1_000_000);
    }
    busy = false;
    FullHttpRequest next = pending.poll();
    if (next != null) {
      handle(ctx, next);
    } else {
      ctx.channel().config().setAutoRead(true);
    }
    return written;
  }

  private static FullHttpResponse toResponse(Reply reply) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.status()),
            Unpooled.wrappedBuffer(reply.body().duplicate()));
    if (reply.contentType() != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    }
    SecurityHeaders.apply(response.headers(), reply.contentType());
    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
      response.headers().set(h.getKey(), h.getValue());
    }
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      HttpUtil.setContentLength(response, reply.body().remaining());
    }
    if (reply.close()) {
      HttpUtil.setKeepAlive(response, false);
    }
    return response;
  }

  /**
   * Logs a refused request at WARN: the client's address, the method, the path without its query
   * (which may hold a token) and why. Header values are never logged, and the path is cut short and
   * kept to printable ASCII so that a client cannot forge log lines.
   */
  private static void warnRefused(
      ChannelHandlerContext ctx, FullHttpRequest request, int status, String why) {
    if (LOG.isWarnEnabled()) {
      String uri = request.uri();
      int q = uri.indexOf('?');
      LOG.warn(
          "Refused {} {} {} from {}: {}",
          status,
          request.method(),
          forLog(q < 0 ? uri : uri.substring(0, q)),
          remote(ctx),
          why);
    }
  }

  private static String remote(ChannelHandlerContext ctx) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
      String ip = a.getAddress().getHostAddress();
      return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
    return String.valueOf(ctx.channel().remoteAddress());
  }

  /** A client-sent value fit for one log line: printable ASCII, quoted, cut short. */
  static String forLog(String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder("'");
    for (int k = 0; k < value.length() && k < MAX_LOGGED; k++) {
      char ch = value.charAt(k);
      sb.append(ch >= 0x20 && ch < 0x7f && ch != '\'' ? ch : '?');
    }
    return sb.append(value.length() > MAX_LOGGED ? "…'" : "'").toString();
  }

  /** A request target fit for the log: the token's value replaced. */
  static String redacted(String uri) {
    return uri.replaceAll("([?&]token=)[^&]*", "$1***");
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && !busy) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Closing a connection after an I/O error: {}", cause.toString());
    ctx.close();
  }
}
