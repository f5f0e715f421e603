package org.simheat.viewer.http;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response before it becomes Netty's: status, media type, body, extra headers, and whether the
 * connection closes after it. Service threads build replies; only the event loop writes them.
 *
 * @param status HTTP status code
 * @param contentType media type of the body, or null for none
 * @param body the body (empty for none), from its position to its limit; never modified
 * @param headers extra headers, in order
 * @param close whether to close the connection once it is written
 */
record Reply(
    int status, String contentType, ByteBuffer body, Map<String, String> headers, boolean close) {

  /** A reply with a body of bytes. */
  Reply(int status, String contentType, byte[] body, Map<String, String> headers, boolean close) {
    this(status, contentType, ByteBuffer.wrap(body), headers, close);
  }

  static final String JSON = "application/json; charset=utf-8";

  /** A JSON body with a status; API results may change, so clients revalidate. */
  static Reply json(int status, byte[] body) {
    return new Reply(status, JSON, body, Map.of("Cache-Control", "no-cache"), false);
  }

  /**
   * A 200 answer of an API call: its body may be a buffer shared with a cache (ready bytes, often
   * direct memory), which is written without being copied.
   */
  static Reply api(ByteBuffer body, String contentType) {
    return new Reply(200, contentType, body, Map.of("Cache-Control", "no-cache"), false);
  }

  /**
   * {@code {"error": message}} with a 4xx or 5xx status; any other status becomes 500.
   *
   * @param message what the client did wrong, never a stack trace or an internal path
   */
  static Reply error(int status, String message) {
    int code = status >= 400 && status <= 599 ? status : 500;
    return new Reply(
        code, JSON, JsonBodies.error(message), Map.of("Cache-Control", "no-store"), false);
  }

  /** A file of the page, revalidated by its entity tag. */
  static Reply asset(StaticFiles.Asset asset) {
    return new Reply(200, asset.contentType(), asset.bytes(), assetHeaders(asset), false);
  }

  /**
   * 304 for a file the client already holds; its length and its framing and Content-Security-Policy
   * headers are the ones a 200 would have (a browser updates the stored response's headers from a
   * 304's).
   */
  static Reply notModified(StaticFiles.Asset asset) {
    Map<String, String> headers = new LinkedHashMap<>(assetHeaders(asset));
    headers.put("Content-Length", Integer.toString(asset.bytes().length));
    headers.put("Content-Security-Policy", SecurityHeaders.policyFor(asset.contentType()));
    headers.put("X-Frame-Options", SecurityHeaders.framingFor(asset.contentType()));
    return new Reply(304, null, new byte[0], headers, false);
  }

  /** 303 to a location on this server. */
  static Reply redirect(String location) {
    return new Reply(
        303, null, new byte[0], Map.of("Location", location, "Cache-Control", "no-store"), false);
  }

  /** This reply with one more header. */
  Reply with(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, more, close);
  }

  /** This reply, closing the connection after it. */
  Reply closing() {
    return new Reply(status, contentType, body, headers, true);
  }

  private static Map<String, String> assetHeaders(StaticFiles.Asset asset) {
    return Map.of("ETag", asset.etag(), "Cache-Control", "no-cache");
  }
}
