package org.simheat.viewer.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.simheat.viewer.service.ApiException;

/**
 * A request's target split into its raw path, its path segments (each percent-decoded exactly once)
 * and its query parameters.
 *
 * <p>The raw path is what static files are looked up by, verbatim; the decoded segments are what
 * API routes validate. Neither is ever turned into a file name.
 */
final class RequestTarget {
  private static final int MAX_ECHO = 60;

  /** Most query parameters a request may have; the API's routes take at most ten. */
  static final int MAX_PARAMS = 64;

  private final String rawPath;
  private final List<String> segments;
  private final QueryParams query;

  private RequestTarget(String rawPath, List<String> segments, QueryParams query) {
    this.rawPath = rawPath;
    this.segments = segments;
    this.query = query;
  }

  /**
   * Parses an origin-form request target such as {@code /api/runs/latest/tokens?q=the}.
   *
   * @throws ApiException 400 if the target is not origin-form, has more than {@value #MAX_PARAMS}
   *     query parameters, a percent escape is malformed, or a segment is not UTF-8
   */
  static RequestTarget parse(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      throw ApiException.badRequest("Bad request target: it must start with '/'");
    }
    if (parameterCount(uri) > MAX_PARAMS) {
      // Netty's decoder would silently drop the parameters past its own limit.
      throw ApiException.badRequest("Too many query parameters: at most " + MAX_PARAMS);
    }
    QueryStringDecoder decoder = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true);
    String rawPath = decoder.rawPath();
    Map<String, List<String>> params;
    try {
      params = decoder.parameters();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Bad query string: malformed percent-encoding");
    }
    return new RequestTarget(rawPath, decodeSegments(rawPath), new QueryParams(params));
  }

  /** The path exactly as sent, without the query. */
  String rawPath() {
    return rawPath;
  }

  /** The path's segments after the leading slash, each decoded once; "/" has one empty segment. */
  List<String> segments() {
    return segments;
  }

  /** The query parameters. */
  QueryParams query() {
    return query;
  }

  /** Whether the path is under {@code /api/}. */
  boolean isApi() {
    return segments.size() >= 1 && segments.get(0).equals("api");
  }

  /** The non-empty {@code &}- or {@code ;}-separated pieces of the query, as the decoder splits. */
  private static int parameterCount(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return 0;
    }
    int count = 0;
    boolean inPiece = false;
    for (int k = q + 1; k < uri.length() && uri.charAt(k) != '#'; k++) {
      char ch = uri.charAt(k);
      boolean separator = ch == '&' || ch == ';';
      if (!separator && !inPiece) {
        count++;
      }
      inPiece = !separator;
    }
    return count;
  }

  private static List<String> decodeSegments(String rawPath) {
    String[] parts = rawPath.substring(1).split("/", -1);
    List<String> out = new ArrayList<>(parts.length);
    for (String part : parts) {
      out.add(percentDecode(part));
    }
    return List.copyOf(out);
  }

  /**
   * Decodes {@code %XX} escapes once ({@code +} stays a plus in a path) and checks that the bytes
   * are UTF-8. Raw characters must be printable ASCII: anything else arrives percent-encoded.
   *
   * @throws ApiException 400 for a raw non-ASCII or control character, a malformed escape or
   *     invalid UTF-8
   */
  static String percentDecode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int k = 0; k < segment.length(); k++) {
      char ch = segment.charAt(k);
      if (ch < 0x21 || ch > 0x7e) {
        throw badSegment(segment, "a raw character outside printable ASCII");
      }
      if (ch != '%') {
        bytes.write(ch);
        continue;
      }
      int hi = k + 2 < segment.length() ? hexDigit(segment.charAt(k + 1)) : -1;
      int lo = hi >= 0 ? hexDigit(segment.charAt(k + 2)) : -1;
      if (lo < 0) {
        throw badSegment(segment, "malformed percent-encoding");
      }
      bytes.write(hi << 4 | lo);
      k += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw badSegment(segment, "not UTF-8");
    }
  }

  private static int hexDigit(char ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return -1;
  }

  private static ApiException badSegment(String segment, String why) {
    return ApiException.badRequest("Bad path segment '" + echo(segment) + "': " + why);
  }

  /** A client value cut short enough to quote back in an error message. */
  static String echo(String value) {
    return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "…";
  }
}
