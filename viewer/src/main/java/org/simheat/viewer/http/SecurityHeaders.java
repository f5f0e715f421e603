package org.simheat.viewer.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The headers every response carries so that a browser keeps the viewer to itself: no sniffing of
 * media types, no referrer, a Content-Security-Policy, and limits on framing.
 *
 * <p>The page's policy lets it run only the scripts and style sheets the server itself serves (the
 * bundled Vega among them: no inline script, no {@code eval}, which is why Vega runs with its
 * expression interpreter), fetch only from this server, and show images of its own, {@code data:}
 * and {@code blob:} URLs (the favicon, exported PNGs). Only pages on loopback may frame it: the
 * notebooks show the viewer in an IFrame of Jupyter on localhost, while a site elsewhere cannot
 * frame it to steer clicks ({@code X-Frame-Options: SAMEORIGIN} for browsers without {@code
 * frame-ancestors}). Every other response gets a policy that allows nothing and no framing at all.
 */
final class SecurityHeaders {
  /** The policy of the page's HTML documents. */
  static final String PAGE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'self' http://localhost:* http://127.0.0.1:*"
          + " https://localhost:* https://127.0.0.1:*";

  /** The policy of every other response. */
  static final String NOTHING_POLICY =
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  /** Whether a body of this media type (or null for none) is one of the page's documents. */
  private static boolean page(String contentType) {
    return contentType != null && contentType.startsWith("text/html");
  }

  /** The Content-Security-Policy of a response whose body has {@code contentType}. */
  static String policyFor(String contentType) {
    return page(contentType) ? PAGE_POLICY : NOTHING_POLICY;
  }

  /** The X-Frame-Options of a response whose body has {@code contentType}. */
  static String framingFor(String contentType) {
    return page(contentType) ? "SAMEORIGIN" : "DENY";
  }

  /** Sets the security headers of a response whose body has {@code contentType} (or none). */
  static void apply(HttpHeaders headers, String contentType) {
    headers.set("Content-Security-Policy", policyFor(contentType));
    headers.set("X-Frame-Options", framingFor(contentType));
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
  }
}
