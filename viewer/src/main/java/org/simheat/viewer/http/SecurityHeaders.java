package org.simheat.viewer.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The headers every response carries so that a browser keeps the page to itself: no sniffing of
 * media types, no referrer, no framing, and a Content-Security-Policy.
 *
 * <p>The page's policy lets it run only the scripts and style sheets the server itself serves (the
 * bundled Vega among them: no inline script, no {@code eval}, which is why Vega runs with its
 * expression interpreter), fetch only from this server, and show images of its own, {@code data:}
 * and {@code blob:} URLs (the favicon, exported PNGs). Every other response gets a policy that
 * allows nothing: an API answer opened as a document runs nothing and loads nothing.
 */
final class SecurityHeaders {
  /** The policy of the page's HTML documents. */
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  /** The policy of every other response. */
  static final String NOTHING_POLICY =
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  /** The policy of a response whose body has {@code contentType} (or null for none). */
  static String policyFor(String contentType) {
    return contentType != null && contentType.startsWith("text/html")
        ? PAGE_POLICY
        : NOTHING_POLICY;
  }

  /** Sets the security headers of a response whose body has {@code contentType} (or none). */
  static void apply(HttpHeaders headers, String contentType) {
    headers.set("Content-Security-Policy", policyFor(contentType));
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
  }
}
