package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.MatrixViewerService;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.TestServer;

/**
 * What the server refuses: files outside the fixed set (path traversal in every spelling), requests
 * without the token, requests to a tokenless server under a foreign host name.
 */
class ViewerServerSecurityTest {
  private static final String TOKEN = "s3cret-Token_42";
  private static TestServer plain;

  @BeforeAll
  static void start() throws IOException {
    plain = TestServer.start();
  }

  @AfterAll
  static void stop() {
    plain.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../pom.xml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/%2E%2E%2Flog4j2.properties",
        "/%252e%252e%252flog4j2.properties",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..\\..\\etc\\passwd",
        "/..%5c..%5cetc%5cpasswd",
        "/web/../index.html",
        "/testweb/../log4j2.properties",
        "/vendor/../../log4j2.properties",
        "/./index.html",
        "//etc/passwd",
        "/index.html%00.js",
        "/%c0%ae%c0%ae/etc/passwd",
        "/files.txt",
        "/secret.txt",
        "/testweb/app.js",
        "/log4j2.properties",
        "/org/simheat/viewer/http/ViewerServer.class",
        "/META-INF/MANIFEST.MF",
        "/api/runs/..%2f..%2fetc/manifest",
        "/api/runs/%2e%2e/manifest",
        "/api/runs/latest%2f..%2f..%2f/manifest",
        "/api/runs/..\\..\\etc/manifest",
        "/api/runs/latest/tiles/..%2fcosine/0/0/0",
        "/api/runs/latest/tiles/%252e%252e/0/0/0",
      })
  void traversalAttemptsNeverReachAFile(String target) throws IOException {
    try (RawHttp http = new RawHttp(plain.port())) {
      http.get(target);
      RawHttp.Response r = http.read();
      assertThat(r.status()).as(target + " → " + r.body()).isIn(400, 404);
      assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
      ErrorBodies.assertClean(r.body());
      assertThat(r.body()).doesNotContain("root:").doesNotContain("rootLogger");
    }
  }

  @Test
  void theFixedSetIsServedWithTypesAndEntityTags() throws IOException {
    TestServer server = plain;
    HttpResponse<String> index = server.get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.body()).isEqualTo(resource("testweb/index.html"));
    assertThat(server.get("/index.html").body()).isEqualTo(index.body());
    HttpResponse<String> script = server.get("/app.js?v=3");
    assertThat(script.headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(script.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(script.body()).isEqualTo(resource("testweb/app.js"));
    assertThat(server.get("/style.css").headers().firstValue("content-type"))
        .hasValue("text/css; charset=utf-8");
    assertThat(server.get("/vendor/lib.min.js").body())
        .isEqualTo("window.lib = { version: \"test\" };\n");
    String etag = script.headers().firstValue("etag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{32}\"");
    HttpResponse<String> cached = server.get("/app.js", "If-None-Match", etag);
    assertThat(cached.statusCode()).isEqualTo(304);
    assertThat(cached.body()).isEmpty();
    assertThat(server.get("/app.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/missing.js", "/APP.JS", "/app.js/", "/vendor/", "/vendor", "/index"})
  void anythingOutsideTheSetIs404(String target) {
    HttpResponse<String> r = plain.get(target);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ErrorBodies.assertClean(r.body())).isEqualTo("Not found");
  }

  @Test
  void aNonLoopbackHostNeedsAToken() {
    assertThatThrownBy(() -> TestServer.start(o -> o.withHost("0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot serve on 0.0.0.0 without an access token: it is not a loopback address");
  }

  @Test
  void withATokenEveryRequestCarriesIt() throws IOException {
    try (TestServer server = TestServer.start(o -> o.withToken(TOKEN))) {
      for (String target : new String[] {"/api/runs", "/healthz", "/", "/app.js", "/nothing"}) {
        HttpResponse<String> r = server.get(target);
        assertThat(r.statusCode()).as(target).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(ErrorBodies.assertClean(r.body())).isEqualTo("Missing or wrong access token");
      }
      assertThat(server.get("/api/runs", "Authorization", "Bearer wrong-token").statusCode())
          .isEqualTo(401);
      assertThat(server.get("/api/runs", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(401);
      assertThat(server.get("/api/runs", "Authorization", "Basic " + TOKEN).statusCode())
          .isEqualTo(401);
      assertThat(server.get("/api/runs?token=nope").statusCode()).isEqualTo(401);
      HttpResponse<String> ok = server.get("/api/runs", "Authorization", "Bearer " + TOKEN);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(ok.body()).get(0).get("runId").asText())
          .isEqualTo(MatrixViewerService.RUN);
      assertThat(server.get("/api/runs?token=" + TOKEN).statusCode()).isEqualTo(200);
      assertThat(server.get("/healthz", "authorization", "bearer " + TOKEN).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void theTokenInThePageUrlSetsAStrictHttpOnlyCookieAndIsDropped() throws IOException {
    try (TestServer server = TestServer.start(o -> o.withToken(TOKEN))) {
      HttpResponse<String> r = server.get("/?token=" + TOKEN + "&run=latest");
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("location")).hasValue("/?run=latest");
      String cookie = r.headers().firstValue("set-cookie").orElseThrow();
      assertThat(cookie)
          .startsWith("simheat_token_" + server.port() + "=" + TOKEN)
          .containsIgnoringCase("; HttpOnly")
          .contains("SameSite=Strict")
          .contains("Path=/");
      assertThat(server.get("/app.js?token=" + TOKEN).headers().firstValue("location"))
          .hasValue("/app.js");
      String wrong = "simheat_token_" + server.port() + "=" + TOKEN + "x";
      assertThat(server.get("/api/runs", "Cookie", wrong).statusCode()).isEqualTo(401);
      String otherPort = "simheat_token_1=" + TOKEN;
      assertThat(server.get("/api/runs", "Cookie", otherPort).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aBrowserFollowsTheCookieFlow() throws Exception {
    try (TestServer server = TestServer.start(o -> o.withToken(TOKEN))) {
      HttpClient browser =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
              .build();
      HttpResponse<String> page =
          browser.send(
              HttpRequest.newBuilder(server.uri("/?token=" + TOKEN)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.uri().toString()).doesNotContain(TOKEN);
      assertThat(page.body()).isEqualTo(resource("testweb/index.html"));
      HttpResponse<String> api =
          browser.send(
              HttpRequest.newBuilder(server.uri("/api/runs/latest/tokens?q=alpha")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(api.body()).get(0).get("token").asText()).isEqualTo("alpha");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "10.0.0.1"})
  void aTokenlessServerRefusesForeignHostNames(String host) throws IOException {
    try (RawHttp http = new RawHttp(plain.port())) {
      http.send("GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      RawHttp.Response r = http.read();
      assertThat(r.status()).isEqualTo(403);
      assertThat(ErrorBodies.assertClean(r.body()))
          .isEqualTo("This server answers only to loopback host names");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:80", "[::1]:9"})
  void aTokenlessServerAnswersLoopbackHostNames(String host) throws IOException {
    try (RawHttp http = new RawHttp(plain.port())) {
      http.send("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        ViewerServerSecurityTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
