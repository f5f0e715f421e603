package org.simheat.viewer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long one request may take to arrive: from its first byte, its line, headers and body
 * must be read within the timeout, else the client gets 408 and the connection closes. A client
 * that trickles a byte a second (a slow-loris) is thus dropped, while the idle timeout, which any
 * byte resets, still governs connections that wait between requests.
 *
 * <p>This handler sits at the head of the pipeline, where it sees raw bytes before the HTTP codec
 * does: the first bytes read while no request is being received arm the timer. {@link
 * #completion()} sits after the aggregator and disarms it when the whole request has arrived. While
 * the server answers, reading is paused, so the server's own time never counts against the client.
 * The 408 is written as bytes, below the codec, so it needs no request to pair with.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);
  private static final byte[] TIMED_OUT = timedOut();

  private final long timeoutNanos;
  private ScheduledFuture<?> timer;

  /** A deadline of {@code timeout} per request, for one channel. */
  RequestDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** The handler that disarms this deadline once a whole request has been aggregated. */
  ChannelHandler completion() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
          disarm();
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    LOG.debug(
        "Closing {}: a request did not arrive within {} ms",
        ctx.channel().remoteAddress(),
        timeoutNanos / 1_000_000);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMED_OUT)).addListener(ChannelFutureListener.CLOSE);
  }

  /** The whole 408 response, status line to body, with the headers every response carries. */
  private static byte[] timedOut() {
    Reply reply = Reply.error(408, "Request not received in time: the connection is closed");
    byte[] body = new byte[reply.body().remaining()];
    reply.body().duplicate().get(body);
    StringBuilder head = new StringBuilder("HTTP/1.1 408 Request Timeout\r\n");
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set("content-type", reply.contentType());
    headers.set("content-length", Integer.toString(body.length));
    headers.set("connection", "close");
    headers.set("cache-control", "no-store");
    SecurityHeaders.apply(headers, reply.contentType());
    headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
