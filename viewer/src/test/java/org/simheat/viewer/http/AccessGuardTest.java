package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Token, Host and Origin decisions, and keeping the token out of URLs and logs. */
class AccessGuardTest {
  private static final String TOKEN = "abcdefgh-123";

  private static HttpHeaders headers(String... pairs) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int k = 0; k < pairs.length; k += 2) {
      h.add(pairs[k], pairs[k + 1]);
    }
    return h;
  }

  @Test
  void tokenFromHeaderCookieOrQuery() {
    AccessGuard guard = new AccessGuard(TOKEN, "0.0.0.0", 8080);
    RequestTarget page = RequestTarget.parse("/?token=" + TOKEN);
    RequestTarget api = RequestTarget.parse("/api/runs");
    assertThat(guard.check(headers(), api)).isEqualTo(AccessGuard.Verdict.UNAUTHORIZED);
    assertThat(guard.check(headers("Authorization", "Bearer " + TOKEN), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Cookie", "a=b; simheat_token_8080=" + TOKEN), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Cookie", "simheat_token_8081=" + TOKEN), api))
        .isEqualTo(AccessGuard.Verdict.UNAUTHORIZED);
    assertThat(guard.check(headers(), page)).isEqualTo(AccessGuard.Verdict.SET_COOKIE);
    assertThat(guard.check(headers(), RequestTarget.parse("/api/runs?token=" + TOKEN)))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Authorization", "Bearer " + TOKEN.substring(1)), api))
        .isEqualTo(AccessGuard.Verdict.UNAUTHORIZED);
    assertThat(guard.setCookie())
        .isEqualTo("simheat_token_8080=" + TOKEN + "; Path=/; HTTPOnly; SameSite=Strict");
  }

  @Test
  void onlyTheServersOwnOriginPasses() {
    AccessGuard.Verdict allow = AccessGuard.Verdict.ALLOW;
    AccessGuard.Verdict foreign = AccessGuard.Verdict.FOREIGN_ORIGIN;
    assertThat(AccessGuard.checkOrigin(headers("Host", "127.0.0.1:8080"))).isEqualTo(allow);
    assertThat(origin("127.0.0.1:8080", "http://127.0.0.1:8080")).isEqualTo(allow);
    assertThat(origin("LocalHost:8080", "http://localhost:8080")).isEqualTo(allow);
    assertThat(origin("viewer.example", "https://viewer.example")).isEqualTo(allow);
    assertThat(origin("viewer.example:80", "http://viewer.example")).isEqualTo(allow);
    assertThat(origin("viewer.example:443", "https://viewer.example")).isEqualTo(allow);
    assertThat(origin("127.0.0.1:8080", "http://localhost:8080")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "http://127.0.0.1:8081")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "https://evil.example")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "http://127.0.0.1:8080.evil.example")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "null")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "ws://127.0.0.1:8080")).isEqualTo(foreign);
    assertThat(origin("127.0.0.1:8080", "")).isEqualTo(foreign);
    assertThat(AccessGuard.checkOrigin(headers("Origin", "http://127.0.0.1:8080")))
        .as("no Host to compare with")
        .isEqualTo(foreign);
    assertThat(
            AccessGuard.checkOrigin(
                headers(
                    "Host", "127.0.0.1:8080",
                    "Origin", "http://127.0.0.1:8080",
                    "Origin", "http://127.0.0.1:8080")))
        .as("two Origin headers")
        .isEqualTo(foreign);
  }

  @Test
  void apiRequestsOfOtherSitesAreRefusedUnlessTheyNavigate() {
    AccessGuard.Verdict allow = AccessGuard.Verdict.ALLOW;
    AccessGuard.Verdict foreign = AccessGuard.Verdict.FOREIGN_ORIGIN;
    assertThat(AccessGuard.checkFetchSite(headers())).isEqualTo(allow);
    assertThat(fetch("same-origin", "cors", "empty")).isEqualTo(allow);
    assertThat(fetch("none", "navigate", "document")).isEqualTo(allow);
    assertThat(fetch("cross-site", "navigate", "document")).isEqualTo(allow);
    assertThat(fetch("cross-site", "navigate", "iframe")).isEqualTo(allow);
    assertThat(fetch("cross-site", "no-cors", "image")).isEqualTo(foreign);
    assertThat(fetch("Cross-Site", "no-cors", "script")).isEqualTo(foreign);
    assertThat(fetch("cross-site", "cors", "empty")).isEqualTo(foreign);
    assertThat(fetch("same-site", "no-cors", "empty")).isEqualTo(foreign);
    assertThat(fetch("cross-site", "navigate", "object")).isEqualTo(foreign);
    assertThat(fetch("cross-site", "navigate", "embed")).isEqualTo(foreign);
  }

  private static AccessGuard.Verdict fetch(String site, String mode, String dest) {
    return AccessGuard.checkFetchSite(
        headers("Sec-Fetch-Site", site, "Sec-Fetch-Mode", mode, "Sec-Fetch-Dest", dest));
  }

  private static AccessGuard.Verdict origin(String host, String origin) {
    return AccessGuard.checkOrigin(headers("Host", host, "Origin", origin));
  }

  @Test
  void withoutATokenOnlyLoopbackHostNames() {
    AccessGuard guard = new AccessGuard(null, "127.0.0.1", 8080);
    RequestTarget api = RequestTarget.parse("/api/runs");
    assertThat(guard.tokenRequired()).isFalse();
    assertThat(guard.check(headers(), api)).isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Host", "localhost:8080"), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Host", "app.localhost"), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Host", "[::1]:8080"), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
    assertThat(guard.check(headers("Host", "attacker.example:8080"), api))
        .isEqualTo(AccessGuard.Verdict.BAD_HOST);
    assertThat(guard.check(headers("Host", "localhost.attacker.example"), api))
        .isEqualTo(AccessGuard.Verdict.BAD_HOST);
    AccessGuard named = new AccessGuard(null, "MyLaptop", 8080);
    assertThat(named.check(headers("Host", "mylaptop:8080"), api))
        .isEqualTo(AccessGuard.Verdict.ALLOW);
  }

  @Test
  void tokensLeaveUrlsAndLogs() {
    assertThat(AccessGuard.withoutToken("/?token=x")).isEqualTo("/");
    assertThat(AccessGuard.withoutToken("/?run=a&token=x&metric=l2"))
        .isEqualTo("/?run=a&metric=l2");
    assertThat(AccessGuard.withoutToken("/app.js?token")).isEqualTo("/app.js");
    assertThat(AccessGuard.withoutToken("/?tokens=1")).isEqualTo("/?tokens=1");
    assertThat(RequestHandler.redacted("/api/runs?token=secret&q=a"))
        .isEqualTo("/api/runs?token=***&q=a");
    assertThat(RequestHandler.redacted("/?q=a&token=secret")).isEqualTo("/?q=a&token=***");
  }

  @Test
  void clientTextInTheLogIsOneShortPrintableQuotedValue() {
    assertThat(RequestHandler.forLog("/api/runs")).isEqualTo("'/api/runs'");
    assertThat(RequestHandler.forLog("evil\r\nWARN forged line"))
        .isEqualTo("'evil??WARN forged line'");
    assertThat(RequestHandler.forLog("it's\u0000\u00e9")).isEqualTo("'it?s??'");
    assertThat(RequestHandler.forLog("x".repeat(500))).hasSize(103).endsWith("x…'");
    assertThat(RequestHandler.forLog(null)).isEqualTo("(none)");
  }

  @Test
  void generatedTokensAreValidAndFresh() {
    String a = ServerOptions.newToken();
    String b = ServerOptions.newToken();
    assertThat(a).hasSize(32).isNotEqualTo(b);
    assertThat(ServerOptions.defaults().withToken(a).token()).isEqualTo(a);
  }
}
