package org.simheat.viewer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Gzip for text responses (JSON, HTML, JavaScript, CSS, SVG) above a size threshold, when the
 * client accepts it and, unless told otherwise, is not on a loopback address (a browser on the same
 * machine, the viewer's default: there gzip at level 1 costs about 6 ms for a 1.6 MB view and saves
 * nothing that matters); everything else goes out as it is.
 *
 * <p>Only gzip is offered, whatever else the client lists: Netty would otherwise pick brotli or
 * zstd whenever a browser lists them, and answer uncompressed when their codecs are not on the
 * class path.
 */
final class TextCompressor extends HttpContentCompressor {
  /** Bodies smaller than this are not worth a gzip header. */
  static final int THRESHOLD_BYTES = 1024;

  /**
   * gzip level 1: tile JSON (floats) compresses nearly as well as at the default level 6 and
   * several times faster, and compression runs on the event loop.
   */
  static final int LEVEL = 1;

  private final boolean gzipLoopback;
  private boolean loopbackPeer;

  /** A compressor; {@code gzipLoopback} says whether loopback clients get gzip too. */
  TextCompressor(boolean gzipLoopback) {
    super(THRESHOLD_BYTES, StandardCompressionOptions.gzip(LEVEL, 15, 8));
    this.gzipLoopback = gzipLoopback;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    loopbackPeer =
        ctx.channel().remoteAddress() instanceof InetSocketAddress peer
            && peer.getAddress() != null
            && peer.getAddress().isLoopbackAddress();
  }

  @Override
  protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !StaticFiles.compressible(type) || (loopbackPeer && !gzipLoopback)) {
      return null;
    }
    return super.beginEncode(response, acceptEncoding);
  }

  /** {@code gzip} when the client accepts it with a positive quality (or through {@code *}). */
  @Override
  protected String determineEncoding(String acceptEncoding) {
    return acceptsGzip(acceptEncoding) ? "gzip" : null;
  }

  /** Whether an {@code Accept-Encoding} value admits gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    float gzip = -1;
    float star = -1;
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].strip().toLowerCase(Locale.ROOT);
      float q = quality(fields);
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        gzip = Math.max(gzip, q);
      } else if (coding.equals("*")) {
        star = q;
      }
    }
    return gzip > 0 || (gzip < 0 && star > 0);
  }

  private static float quality(String[] fields) {
    for (int k = 1; k < fields.length; k++) {
      String p = fields[k].strip();
      if (p.startsWith("q=") || p.startsWith("Q=")) {
        try {
          return Float.parseFloat(p.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
