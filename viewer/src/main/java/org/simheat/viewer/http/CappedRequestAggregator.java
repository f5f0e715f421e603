package org.simheat.viewer.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates each request into one message of at most {@code maxBytes}; a larger one (by its {@code
 * Content-Length}, its {@code Expect: 100-continue}, or the bytes that arrive) gets a 413 with a
 * JSON body, and the connection closes.
 */
final class CappedRequestAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  CappedRequestAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.writeAndFlush(tooLarge()).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse r
        && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(r);
      return tooLarge();
    }
    return response;
  }

  private FullHttpResponse tooLarge() {
    Reply reply = Reply.error(413, "Request too large: at most " + maxBytes + " bytes");
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(reply.body().duplicate()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    SecurityHeaders.apply(response.headers(), reply.contentType());
    HttpUtil.setContentLength(response, reply.body().remaining());
    HttpUtil.setKeepAlive(response, false);
    return response;
  }
}
