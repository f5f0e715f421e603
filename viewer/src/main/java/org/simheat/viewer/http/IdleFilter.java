package org.simheat.viewer.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Keeps a connection that is still sending an answer from being taken for an idle one: Netty's idle
 * timer counts a write only once it completes, so an answer larger than the socket's buffers, read
 * steadily by a slow client for longer than the idle timeout, would be cut off mid-body.
 *
 * <p>Sits just after the {@code IdleStateHandler}, below the HTTP codec, where answers are bytes:
 * every write gets a progressive promise that counts the bytes the socket takes. An idle event is
 * passed on (and the connection closed by {@link RequestHandler}) unless an answer is being sent
 * and the socket took some of it since the previous idle event; a client that stops reading is thus
 * dropped one idle timeout later.
 */
final class IdleFilter extends ChannelDuplexHandler {
  private int sending;
  private long sent;
  private long sentAtLastIdle = -1;
  private volatile long lastProgressNanos = System.nanoTime();

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ChannelProgressivePromise tracked = ctx.newProgressivePromise();
    sending++;
    tracked.addListener(new Progress(promise));
    ctx.write(msg, tracked);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      boolean moving = sending > 0 && sent != sentAtLastIdle;
      sentAtLastIdle = sent;
      if (moving) {
        return;
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  /** When the socket last took bytes of an answer (or when the channel was set up). */
  long lastProgressNanos() {
    return lastProgressNanos;
  }

  /** Counts one write's progress and completes the writer's promise with it. */
  private final class Progress implements ChannelProgressiveFutureListener {
    private final ChannelPromise writer;
    private long last;

    Progress(ChannelPromise writer) {
      this.writer = writer;
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
      sent += progress - last;
      last = progress;
      lastProgressNanos = System.nanoTime();
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
      sending--;
      if (writer.isVoid()) {
        return;
      }
      if (future.isSuccess()) {
        writer.trySuccess();
      } else if (future.isCancelled()) {
        writer.cancel(false);
      } else {
        writer.tryFailure(future.cause());
      }
    }
  }
}
