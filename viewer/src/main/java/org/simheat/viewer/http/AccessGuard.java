package org.simheat.viewer.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Who may be served. With a token, every request carries it: {@code Authorization: Bearer T}, the
 * {@code simheat_token_<port>} cookie, or {@code ?token=T} (which, on a page URL, answers with a
 * redirect that sets the cookie so the page's own requests carry it; the port in the name keeps two
 * viewers on one host apart, since cookies ignore ports). Tokens are compared as SHA-256 digests
 * with {@link MessageDigest#isEqual}, in time independent of where they differ and of their length.
 *
 * <p>Without a token the server listens on loopback only, and requests must name a loopback host in
 * their {@code Host} header: a web page elsewhere cannot reach the API by rebinding its own DNS
 * name to 127.0.0.1.
 *
 * <p>Cross-origin requests are refused whatever the token: a request whose {@code Origin} header
 * does not name its own {@code Host} (a page of another site or port, or {@code null} from a
 * sandbox or a file) gets 403, preflights included, and no response ever carries an {@code
 * Access-Control-Allow-*} header. Browsers send {@code Origin} on the page's own module scripts and
 * fetches too; those name this server and pass. API requests that a page of another site makes
 * without {@code Origin} (an image, a classic script) are refused by their fetch metadata.
 */
final class AccessGuard {
  /** Fetch metadata headers: which site a browser's request comes from, how, and for what. */
  static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

  static final String SEC_FETCH_MODE = "Sec-Fetch-Mode";
  static final String SEC_FETCH_DEST = "Sec-Fetch-Dest";

  private static final Pattern LOOPBACK_HOST =
      Pattern.compile("localhost|.+\\.localhost|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[::1\\]");

  /** What to do with a request. */
  enum Verdict {
    /** Serve it. */
    ALLOW,
    /** The token came in the page URL: redirect to it without the token, setting the cookie. */
    SET_COOKIE,
    /** 401: the token is missing or wrong. */
    UNAUTHORIZED,
    /** 403: a tokenless server was reached through a name that is not loopback. */
    BAD_HOST,
    /** 403: the request comes from a page of another origin. */
    FOREIGN_ORIGIN
  }

  private final String token;
  private final byte[] tokenDigest;
  private final String boundHost;
  private final String cookieName;

  /**
   * A guard for a server bound to {@code boundHost}.
   *
   * @param token the token every request must carry, or null for none
   * @param boundHost the host the server was told to bind, also accepted in {@code Host}
   * @param port the port the server listens on
   */
  AccessGuard(String token, String boundHost, int port) {
    this.token = token;
    this.tokenDigest = token == null ? null : digest(token);
    this.boundHost = boundHost.toLowerCase(Locale.ROOT);
    this.cookieName = "simheat_token_" + port;
  }

  /** Whether requests need a token. */
  boolean tokenRequired() {
    return token != null;
  }

  /**
   * Decides whether a request may come from where it comes from: any request without an {@code
   * Origin} header, or one whose origin is this server as the request names it in {@code Host}
   * ({@code http}, or {@code https} through a proxy that terminates TLS; default ports aside).
   */
  static Verdict checkOrigin(HttpHeaders headers) {
    List<String> origins = headers.getAll(HttpHeaderNames.ORIGIN);
    if (origins.isEmpty()) {
      return Verdict.ALLOW;
    }
    String host = headers.get(HttpHeaderNames.HOST);
    if (origins.size() != 1 || host == null) {
      return Verdict.FOREIGN_ORIGIN;
    }
    String origin = origins.get(0).strip().toLowerCase(Locale.ROOT);
    int scheme = origin.startsWith("http://") ? 7 : origin.startsWith("https://") ? 8 : -1;
    boolean same =
        scheme > 0
            && withoutDefaultPort(origin.substring(scheme))
                .equals(withoutDefaultPort(host.strip().toLowerCase(Locale.ROOT)));
    return same ? Verdict.ALLOW : Verdict.FOREIGN_ORIGIN;
  }

  /**
   * Decides whether an API request may come from the site its browser says it comes from. Browsers
   * send {@code Sec-Fetch-Site} to loopback and HTTPS servers even where they send no {@code
   * Origin} (an image, a classic script, a no-cors fetch): a request made by a page of another
   * site, or of another port of the same host name, is refused, unless it is a navigation (a link
   * followed, an address typed, a frame). Without the header (another client, an older browser,
   * plain HTTP to another machine) the request passes.
   */
  static Verdict checkFetchSite(HttpHeaders headers) {
    String site = lower(headers.get(SEC_FETCH_SITE));
    if (!site.equals("cross-site") && !site.equals("same-site")) {
      return Verdict.ALLOW;
    }
    String dest = lower(headers.get(SEC_FETCH_DEST));
    boolean navigation =
        lower(headers.get(SEC_FETCH_MODE)).equals("navigate")
            && !dest.equals("object")
            && !dest.equals("embed");
    return navigation ? Verdict.ALLOW : Verdict.FOREIGN_ORIGIN;
  }

  private static String lower(String value) {
    return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Decides about a request's token or host; {@link #checkOrigin} decides about its origin.
   *
   * @throws org.simheat.viewer.service.ApiException 400 if {@code token} is given twice
   */
  Verdict check(HttpHeaders headers, RequestTarget target) {
    if (token == null) {
      return hostAllowed(headers.get(HttpHeaderNames.HOST)) ? Verdict.ALLOW : Verdict.BAD_HOST;
    }
    if (matches(bearer(headers)) || cookieMatches(headers)) {
      return Verdict.ALLOW;
    }
    if (matches(target.query().get("token"))) {
      return target.isApi() || target.rawPath().equals("/healthz")
          ? Verdict.ALLOW
          : Verdict.SET_COOKIE;
    }
    return Verdict.UNAUTHORIZED;
  }

  /** The {@code Set-Cookie} value carrying the token: HttpOnly, SameSite=Strict, whole site. */
  String setCookie() {
    DefaultCookie cookie = new DefaultCookie(cookieName, token);
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.Strict);
    cookie.setPath("/");
    return ServerCookieEncoder.STRICT.encode(cookie);
  }

  /** A request target with every {@code token} parameter removed, the rest kept verbatim. */
  static String withoutToken(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    StringJoiner kept = new StringJoiner("&");
    for (String pair : uri.substring(q + 1).split("&")) {
      if (!pair.equals("token") && !pair.startsWith("token=") && !pair.isEmpty()) {
        kept.add(pair);
      }
    }
    return uri.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
  }

  private boolean hostAllowed(String host) {
    if (host == null) {
      return true;
    }
    String name = stripPort(host.strip().toLowerCase(Locale.ROOT));
    return LOOPBACK_HOST.matcher(name).matches()
        || name.equals(boundHost)
        || name.equals("[" + boundHost + "]");
  }

  /** An authority without an explicit {@code :80} or {@code :443}, as browsers write origins. */
  private static String withoutDefaultPort(String authority) {
    for (String port : new String[] {":80", ":443"}) {
      if (authority.endsWith(port)) {
        return authority.substring(0, authority.length() - port.length());
      }
    }
    return authority;
  }

  private static String stripPort(String host) {
    int colon = host.lastIndexOf(':');
    boolean bracketed = host.startsWith("[");
    if (colon < 0 || (bracketed && colon < host.lastIndexOf(']'))) {
      return host;
    }
    return host.substring(0, colon);
  }

  private boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(tokenDigest, digest(candidate));
  }

  private static String bearer(HttpHeaders headers) {
    String value = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return value.substring(7).strip();
  }

  private boolean cookieMatches(HttpHeaders headers) {
    for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
        if (c.name().equals(cookieName) && matches(c.value())) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
