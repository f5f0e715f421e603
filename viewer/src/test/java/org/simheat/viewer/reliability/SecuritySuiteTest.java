package org.simheat.viewer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.CapturedLog;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.SaliencyFixture;
import org.simheat.viewer.testing.SyntheticRun;
import org.simheat.viewer.testing.TestServer;

/**
 * The viewer against hostile requests, over real sockets, the real service and the real page, with
 * runs of every kind in its data directory (the fixture run, two runs to compare, a saliency
 * document, a run too large for a region's pairs, and runs whose files are corrupt).
 *
 * <p>What it proves: the server binds loopback by default and logs every refusal without the token;
 * path traversal in every spelling, on every route that takes a run id or a name, reaches no file;
 * every cap answers 4xx (or clamps where the API says so); cross-origin requests are refused and no
 * response allows CORS; no response carries a stack trace or an internal path; every response
 * carries the security headers, the page its Content-Security-Policy. Every response of the suite
 * goes through {@link #exchange}, which checks the headers.
 */
class SecuritySuiteTest {
  private static final String RUN = Fixture.RUN_ID;
  private static final String LARGE = "20261125T000000Z-1a2e0001";
  private static final String BAD_TILES = "20261125T000000Z-0000cc01";
  private static final String BAD_NEIGHBORS = "20261125T000000Z-0000cc02";
  private static final String BAD_EMBEDDINGS = "20261125T000000Z-0000cc03";
  private static final String UNREADABLE = "20261125T000000Z-0000cc04";
  private static final String TOKEN = "Sec-suite_token.42";
  private static final String REQUEST_LOG = "org.simheat.viewer.http.RequestHandler";

  @TempDir static Path tmp;

  private static Path data;
  private static String driftA;
  private static String driftB;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    data = Fixture.copyDataDir(tmp.resolve("out"));
    List<String> drift = Fixture.addFixtureRuns(data, "fixture-drift");
    driftB = drift.get(0);
    driftA = drift.get(1);
    SaliencyFixture.write(
        data.resolve(RunLayout.SALIENCY),
        "cat",
        "The cat",
        List.of("Words"),
        SaliencyFixture.text(12, 1, 3, true, 1),
        false);
    new SyntheticRun(LARGE, 2100, 4, 9, 0, 1024, 512, false, List.of(Metric.COSINE)).write(data);
    corrupt(BAD_TILES, "tiles");
    corrupt(BAD_NEIGHBORS, "neighbors");
    corrupt(BAD_EMBEDDINGS, "embeddings");
    unreadable(UNREADABLE, "neighbors");
    Files.writeString(data.resolve(RunLayout.LATEST), RUN + "\n", StandardCharsets.UTF_8);
    server = TestServer.over(new RunService(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * A copy of the fixture run whose Parquet files under {@code table} are cut to half, then junk.
   */
  private static void corrupt(String id, String table) throws IOException {
    Path run = Fixture.addRunCopy(data, id, "2026-11-25T00:00:00Z");
    try (Stream<Path> files = Files.walk(run.resolve(table))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        long size = Files.size(p);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
          f.setLength(size / 2);
          f.seek(size / 4);
          f.write("not parquet at all".getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
  }

  /**
   * A copy of the fixture run whose Parquet files under {@code table} cannot be read at all: each
   * is a directory (tests run as root here, to whom a file without permissions is still readable).
   */
  private static void unreadable(String id, String table) throws IOException {
    Path run = Fixture.addRunCopy(data, id, "2026-11-25T00:00:00Z");
    try (Stream<Path> files = Files.walk(run.resolve(table))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.delete(p);
        Files.createDirectory(p);
      }
    }
  }

  // ---- C1: loopback by default, token refusals logged without the token ----

  @Test
  void theDefaultsBindLoopbackOnly() throws IOException {
    assertThat(ServerOptions.defaults().host()).isEqualTo("127.0.0.1");
    InetSocketAddress bound = server.address();
    assertThat(bound.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          others.add(a);
        }
      }
    }
    for (InetAddress other : others) {
      try (Socket s = new Socket()) {
        assertThat(connects(s, new InetSocketAddress(other, bound.getPort())))
            .as("reachable on %s", other)
            .isFalse();
      }
    }
  }

  private static boolean connects(Socket s, InetSocketAddress to) throws IOException {
    try {
      s.connect(to, 10_000);
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }

  @Test
  void wrongOrMissingTokensAreRefusedAndLoggedWithoutTheirValue() throws IOException {
    try (TestServer guarded = TestServer.over(new RunService(data), o -> o.withToken(TOKEN));
        CapturedLog log = CapturedLog.of(REQUEST_LOG)) {
      String[][] attempts = {
        {"/api/runs"},
        {"/api/runs?token=WRONG-query-1"},
        {"/api/runs/latest/manifest", "Authorization: Bearer WRONG-bearer-2"},
        {"/", "Cookie: simheat_token_" + guarded.port() + "=WRONG-cookie-3"},
        {"/api/runs?token=" + TOKEN + "x"},
      };
      for (String[] a : attempts) {
        RawHttp.Response r = exchange(guarded.port(), a[0], a.length > 1 ? a[1] : null);
        assertThat(r.status()).as(a[0]).isEqualTo(401);
        assertThat(ErrorBodies.assertClean(r.body(), data))
            .isEqualTo("Missing or wrong access token");
      }
      RawHttp.Response ok = exchange(guarded.port(), "/api/runs?token=" + TOKEN, null);
      assertThat(ok.status()).isEqualTo(200);
      List<String> lines = log.lines();
      assertThat(lines).hasSize(attempts.length);
      for (int k = 0; k < attempts.length; k++) {
        String path = attempts[k][0].replaceFirst("\\?.*", "");
        assertThat(lines.get(k))
            .startsWith("WARN Refused 401 GET '" + path + "' from 127.0.0.1:")
            .endsWith(": missing or wrong access token");
      }
      assertThat(String.join("\n", lines)).doesNotContain("WRONG").doesNotContain(TOKEN);
    }
  }

  @Test
  void foreignHostNamesAreRefusedAndLogged() throws IOException {
    try (CapturedLog log = CapturedLog.of(REQUEST_LOG)) {
      RawHttp.Response r = exchangeRaw("GET /api/runs HTTP/1.1\r\nHost: evil.example\r\n\r\n");
      assertThat(r.status()).isEqualTo(403);
      assertThat(ErrorBodies.assertClean(r.body(), data))
          .isEqualTo("This server answers only to loopback host names");
      assertThat(log.lines())
          .singleElement()
          .asString()
          .startsWith("WARN Refused 403 GET '/api/runs' from 127.0.0.1:")
          .endsWith(": host name 'evil.example' is not loopback");
    }
  }

  // ---- C2: path traversal on every route family ----

  /** Hostile spellings of a run id or a name: dots, slashes, backslashes, NUL, overlong UTF-8. */
  private static final List<String> HOSTILE =
      List.of(
          "..",
          "%2e%2e",
          "%2E%2E",
          ".%2e",
          "%252e%252e",
          "..%2f..%2f..%2fetc%2fpasswd",
          "%2fetc%2fpasswd",
          "..%5c..%5cetc%5cpasswd",
          "..\\..\\etc\\passwd",
          "%00",
          "latest%00",
          RUN + "%00",
          RUN + "%00.json",
          "latest%2f..",
          RUN + "%2f..",
          RUN + "%2f..%2f..%2fLATEST",
          RUN + "%5c..",
          "%c0%ae%c0%ae",
          "%e0%80%ae%e0%80%ae",
          "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc",
          "..%c0%af..%c0%afetc%c0%afpasswd",
          "..~cat",
          RUN + "~..%2f..%2fcat");

  /** Every route family that takes a run id or a name, with {} where the hostile value goes. */
  static Stream<String> routes() {
    return Stream.of(
        "/api/runs/{}/manifest",
        "/api/runs/{}/tiles/cosine/0/0/0",
        "/api/runs/{}/view",
        "/api/runs/{}/tokens?q=a",
        "/api/runs/{}/neighbors/cosine/1",
        "/api/runs/{}/clusters",
        "/api/runs/{}/cluster-tiles/cosine",
        "/api/runs/{}/pairs?x0=0&x1=2&y0=0&y1=2",
        "/api/runs/{}/saliency/cat",
        "/api/runs/{}/saliency-occurrences?position=1",
        "/api/runs/latest/saliency/{}",
        "/api/drift/{}/B",
        "/api/drift/A/{}",
        "/api/drift/{}/B/view",
        "/api/drift/{}/B/tiles/cosine/0/0/0",
        "/api/drift/A/{}/changes/cosine/1",
        "/api/saliency/{}",
        "/api/saliency/{}/spec",
        "/api/saliency/{}/heat/0/0",
        "/{}",
        "/js/{}",
        "/vendor/{}",
        "/{}/index.html",
        "/{}/etc/passwd");
  }

  @ParameterizedTest
  @MethodSource("routes")
  void hostileRunIdsAndNamesReachNoFile(String route) throws IOException {
    String template = route.replace("/A/", "/" + driftA + "/").replace("/B", "/" + driftB);
    SoftAssertions soft = new SoftAssertions();
    for (String value : HOSTILE) {
      String target = template.replace("{}", value);
      assertRefused(soft, target, exchange(server.port(), target, null));
    }
    soft.assertAll();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc/passwd",
        "//etc/passwd",
        "///etc/passwd",
        "/%2fetc%2fpasswd",
        "http://127.0.0.1/../pom.xml",
        "http://evil.example/../../etc/passwd",
        "file:///etc/passwd",
        "/index.html%00",
        "/app.js%00.html",
        "/js/../app.js",
        "/vendor/%2e%2e/app.js",
        "/LATEST",
        "/runs/" + RUN + "/manifest.json",
        "/api/%2e%2e/%2e%2e/etc/passwd",
        "/api/runs/%2e%2e/%2e%2e/LATEST",
        "/api/runs/" + RUN + "/../../LATEST",
        "/api/saliency/..%2f..%2fLATEST",
        "/api/runs/latest/saliency/..%2f..%2f..%2fLATEST",
      })
  void absoluteAndWholeTargetTraversalsReachNoFile(String target) throws IOException {
    SoftAssertions soft = new SoftAssertions();
    assertRefused(soft, target, exchange(server.port(), target, null));
    soft.assertAll();
  }

  private static void assertRefused(SoftAssertions soft, String target, RawHttp.Response r) {
    soft.assertThat(r.status()).as(target + " → " + r.body()).isIn(400, 404);
    soft.assertThat(r.headers().get("content-type"))
        .as(target)
        .isEqualTo("application/json; charset=utf-8");
    soft.assertThat(r.body())
        .as(target)
        .doesNotContain("root:")
        .doesNotContain("formatVersion")
        .doesNotContain("<html")
        .doesNotContain(RUN + "\n");
    soft.check(() -> ErrorBodies.assertClean(r.body(), data));
  }

  // ---- C3: caps ----

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/runs/latest/view?res=513 | 400 | res must be 32..512, got 513",
        "/api/runs/latest/view?res=31 | 400 | res must be 32..512, got 31",
        "/api/runs/latest/view?res=4294967296 | 400 | is larger than 2147483647",
        "/api/drift/A/B/view?res=100000 | 400 | res must be 32..512, got 100000",
        "/api/runs/LARGE/pairs?x0=0&x1=2100&y0=0&y1=2100 | 400 | over this viewer's limit",
        "/api/runs/latest/neighbors/cosine/1?k=2147483648 | 400 | is larger than 2147483647",
        "/api/drift/A/B/changes/cosine/1?k=101 | 400 | k must be 1..100, got 101",
        "/api/saliency/cat/spec?width=5000 | 400 | Bad width 5000",
        "/api/saliency/cat?from=13 | 400 | ",
        "/api/runs/latest/tiles/cosine/99/0/0 | 404 | level 99 is out of range",
        "/api/runs/latest/tiles/cosine/0/99999/0 | 404 | outside level 0's grid",
        "/api/runs/latest/tiles/cosine/0/0/99999999999999999999 | 400 | ",
      })
  void valuesOverACapAre4xxWithAMessage(String target, int status, String phrase)
      throws IOException {
    RawHttp.Response r = exchange(server.port(), resolve(target), null);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(ErrorBodies.assertClean(r.body(), data)).contains(phrase == null ? "" : phrase);
  }

  @Test
  void countsOverTheirCapAreClampedWhereTheApiSaysSo() throws IOException {
    JsonNode pairs =
        json("/api/runs/latest/pairs?metric=cosine&x0=0&x1=600&y0=0&y1=600&limit=5000");
    assertThat(pairs.get("pairs")).as("limit over 1000 is taken as 1000").hasSize(1000);
    int stored = json("/api/runs/latest/manifest").get("neighbors").get("k").asInt();
    JsonNode neighbors = json("/api/runs/latest/neighbors/cosine/1?k=100000");
    assertThat(neighbors.get("neighbors")).as("k over the stored k").hasSize(stored);
    assertThat(json("/api/runs/latest/tokens?q=a&limit=100000").size()).isLessThanOrEqualTo(100);
  }

  @Test
  void tooManyHeadersAre431() throws IOException {
    StringBuilder headers = new StringBuilder();
    for (int k = 0; k < 101; k++) {
      headers.append("X-H").append(k).append(": v\r\n");
    }
    RawHttp.Response r =
        exchangeRaw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
    assertThat(r.status()).isEqualTo(431);
    assertThat(ErrorBodies.assertClean(r.body(), data))
        .isEqualTo("Too many request headers: at most 100");
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 1900})
  void tooManyQueryParametersAre400(int count) throws IOException {
    StringBuilder query = new StringBuilder("res=64");
    for (int k = 1; k < count; k++) {
      query.append(k % 2 == 0 ? "&" : ";").append((char) ('a' + k % 26));
    }
    RawHttp.Response r = exchange(server.port(), "/api/runs/latest/view?" + query, null);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(ErrorBodies.assertClean(r.body(), data))
        .isEqualTo("Too many query parameters: at most 64");
  }

  // ---- C4: CORS denied ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example",
        "http://evil.example:PORT",
        "null",
        "http://127.0.0.1.evil.example:PORT",
        "http://127.0.0.1:1",
        "ftp://127.0.0.1:PORT",
        "http://localhost:PORT",
      })
  void foreignOriginsAreRefusedOnEveryKindOfTarget(String origin) throws IOException {
    String value = origin.replace("PORT", Integer.toString(server.port()));
    try (CapturedLog log = CapturedLog.of(REQUEST_LOG)) {
      List<String> targets =
          List.of("/api/runs", "/api/runs/latest/manifest", "/", "/app.js", "/healthz");
      for (String target : targets) {
        RawHttp.Response r =
            exchangeRaw(
                "GET "
                    + target
                    + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.port()
                    + "\r\nOrigin: "
                    + value
                    + "\r\n\r\n");
        assertThat(r.status()).as(target).isEqualTo(403);
        assertThat(ErrorBodies.assertClean(r.body(), data))
            .isEqualTo("Cross-origin requests are refused");
      }
      assertThat(log.lines())
          .hasSize(targets.size())
          .allSatisfy(
              l ->
                  assertThat(l)
                      .startsWith("WARN Refused 403 GET '/")
                      .contains(" from 127.0.0.1:")
                      .endsWith(": cross-origin request from '" + value + "'"));
    }
  }

  @Test
  void aPreflightIsRefusedAndLogged() throws IOException {
    try (CapturedLog log = CapturedLog.of(REQUEST_LOG)) {
      RawHttp.Response r =
          exchangeRaw(
              "OPTIONS /api/runs HTTP/1.1\r\nHost: 127.0.0.1:"
                  + server.port()
                  + "\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n"
                  + "Access-Control-Request-Headers: authorization\r\n\r\n");
      assertThat(r.status()).isEqualTo(403);
      assertThat(ErrorBodies.assertClean(r.body(), data))
          .isEqualTo("Cross-origin requests are refused");
      assertThat(log.lines())
          .singleElement()
          .asString()
          .startsWith("WARN Refused 403 OPTIONS '/api/runs' from 127.0.0.1:")
          .endsWith(": cross-origin request from 'https://evil.example'");
    }
    RawHttp.Response plain = exchangeRaw("OPTIONS /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(plain.status()).as("no Origin: not a preflight").isEqualTo(405);
    assertThat(ErrorBodies.assertClean(plain.body()))
        .isEqualTo("Method OPTIONS not allowed: use GET");
  }

  @ParameterizedTest
  @CsvSource({
    "/api/runs, cross-site, no-cors, image, 403",
    "/api/runs/latest/view, cross-site, no-cors, script, 403",
    "/api/runs/latest/manifest, same-site, cors, empty, 403",
    "/api/runs, cross-site, navigate, object, 403",
    "/api/runs, cross-site, navigate, document, 200",
    "/api/runs, same-origin, cors, empty, 200",
    "/api/runs, none, navigate, document, 200",
    "/vendor/vega.min.js, cross-site, no-cors, script, 200",
    "/, cross-site, navigate, iframe, 200"
  })
  void apiRequestsOfOtherSitesAreRefusedByTheirFetchMetadata(
      String target, String site, String mode, String dest, int status) throws IOException {
    try (CapturedLog log = CapturedLog.of(REQUEST_LOG)) {
      RawHttp.Response r =
          exchangeRaw(
              "GET "
                  + target
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: "
                  + site
                  + "\r\nSec-Fetch-Mode: "
                  + mode
                  + "\r\nSec-Fetch-Dest: "
                  + dest
                  + "\r\n\r\n");
      assertThat(r.status()).isEqualTo(status);
      if (status == 403) {
        assertThat(ErrorBodies.assertClean(r.body(), data))
            .isEqualTo("Cross-origin requests are refused");
        assertThat(log.lines())
            .singleElement()
            .asString()
            .startsWith("WARN Refused 403 GET '" + target + "' from 127.0.0.1:")
            .endsWith(": cross-site request ('" + site + "', for '" + dest + "')");
      } else {
        assertThat(log.lines()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:PORT, http://127.0.0.1:PORT",
    "localhost:PORT, http://localhost:PORT",
    "LOCALHOST:PORT, http://localhost:PORT",
    "viewer.example, https://viewer.example",
    "viewer.example:443, https://viewer.example"
  })
  void theServersOwnOriginIsServed(String host, String origin) throws IOException {
    String port = Integer.toString(server.port());
    RawHttp.Response r =
        exchangeRaw(
            "GET /api/runs HTTP/1.1\r\nHost: "
                + host.replace("PORT", port)
                + "\r\nOrigin: "
                + origin.replace("PORT", port)
                + "\r\n\r\n");
    if (host.startsWith("viewer.example")) {
      // Behind a proxy that terminates TLS: same origin, but not a loopback host name.
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(ErrorBodies.assertClean(r.body(), data))
          .isEqualTo("This server answers only to loopback host names");
      return;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(TestServer.json(r.body()).size()).isGreaterThan(1);
  }

  // ---- C5: no stack trace, no internal path, whatever the input ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/runs/latest/tiles/cosine/-1/0/0",
        "/api/runs/latest/tiles/cosine/0/x/0",
        "/api/runs/latest/tiles/nope/0/0/0",
        "/api/runs/latest/tiles/cosine/0/0/0?format=png",
        "/api/runs/latest/tiles/cosine/0/0/0?agg=median",
        "/api/runs/latest/tiles/cosine/0/0/0?agg=mean&agg=max",
        "/api/runs/latest/view?x0=-5",
        "/api/runs/latest/view?x1=1e3",
        "/api/runs/latest/view?metric=COSINE",
        "/api/runs/latest/view?agg=avg",
        "/api/runs/latest/view?mask=maybe",
        "/api/runs/latest/view?res=abc",
        "/api/runs/latest/view?res=",
        "/api/runs/latest/view?x0=1&x0=2",
        "/api/runs/latest/view?x0=%zz",
        "/api/runs/latest/view?x0=9&x1=3",
        "/api/runs/latest/tokens?q=",
        "/api/runs/latest/tokens?q=a&limit=-1",
        "/api/runs/latest/tokens?q=a&axis=diagonal",
        "/api/runs/latest/neighbors/cosine/600",
        "/api/runs/latest/neighbors/cosine/abc",
        "/api/runs/latest/neighbors/cosine/1?k=-3",
        "/api/runs/latest/clusters?axis=z",
        "/api/runs/latest/cluster-tiles/cosine",
        "/api/runs/latest/pairs",
        "/api/runs/latest/pairs?x0=0",
        "/api/runs/latest/pairs?x0=0&x1=1&y0=0&y1=1&limit=abc",
        "/api/runs/latest/saliency-occurrences",
        "/api/runs/latest/saliency-occurrences?position=-1",
        "/api/runs/latest/saliency/nope",
        "/api/saliency/nope",
        "/api/saliency/cat?from=abc",
        "/api/saliency/cat/heat/9/0",
        "/api/saliency/cat/heat/0/99999",
        "/api/saliency/cat/spec?focus=99999",
        "/api/drift/A/B/view?agg=max",
        "/api/drift/A/B/changes/cosine/99999",
        "/api/drift/A/B/tiles/cosine/9/0/0",
        "/api/drift/A/LARGE/view",
        "/api/runs/20990101T000000Z-deadbeef/manifest",
        "/api/nothing",
        "/api/runs/latest/nothing",
        "/api",
        "/api/",
        "/api/runs/latest/view?x0=%e2%82",
        "/api/runs/%ff/manifest",
      })
  void malformedInputGetsACleanError(String target) throws IOException {
    RawHttp.Response r = exchange(server.port(), resolve(target), null);
    assertThat(r.status()).as(target + " → " + r.body()).isBetween(400, 499);
    assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
    ErrorBodies.assertClean(r.body(), data);
  }

  @ParameterizedTest
  @ValueSource(strings = {BAD_TILES, BAD_NEIGHBORS, BAD_EMBEDDINGS, UNREADABLE})
  void aRunWithCorruptFilesGetsCleanErrors(String run) throws IOException {
    List<String> targets =
        List.of(
            "/api/runs/RUN/tiles/cosine/0/0/0",
            "/api/runs/RUN/tiles/cosine/1/1/1?format=f32",
            "/api/runs/RUN/tiles/cosine/2/0/0",
            "/api/runs/RUN/view?metric=dot&res=32",
            "/api/runs/RUN/view?metric=l2&res=512&x0=0&x1=100&y0=0&y1=100",
            "/api/runs/RUN/tokens?q=a",
            "/api/runs/RUN/neighbors/cosine/5",
            "/api/runs/RUN/pairs?x0=0&x1=20&y0=0&y1=20",
            "/api/drift/RUN/" + RUN + "/view",
            "/api/drift/" + RUN + "/RUN/changes/cosine/5");
    SoftAssertions soft = new SoftAssertions();
    int failed = 0;
    for (String t : targets) {
      String target = t.replace("RUN/", run + "/").replace("/RUN", "/" + run);
      RawHttp.Response r = exchange(server.port(), target, null);
      if (r.status() == 200) {
        soft.check(() -> ErrorBodies.assertLeaksNothing(r.body()));
        continue;
      }
      failed++;
      soft.assertThat(r.status()).as(target + " → " + r.body()).isBetween(400, 599);
      soft.check(() -> ErrorBodies.assertClean(r.body(), data));
    }
    soft.assertThat(failed).as("requests that read the corrupt table").isGreaterThan(0);
    soft.assertAll();
    assertThat(exchange(server.port(), "/api/runs/" + RUN + "/tiles/cosine/0/0/0", null).status())
        .as("the good run is still served")
        .isEqualTo(200);
  }

  // ---- C6: security headers ----

  @Test
  void thePageCarriesItsContentSecurityPolicy() throws IOException {
    for (String page : List.of("/", "/index.html", "/saliency.html")) {
      RawHttp.Response r = exchange(server.port(), page, null);
      assertThat(r.status()).isEqualTo(200);
      String csp = r.headers().get("content-security-policy");
      assertThat(csp)
          .contains("default-src 'none'")
          .contains("script-src 'self';")
          .contains("style-src 'self';")
          .contains("img-src 'self' data: blob:;")
          .contains("connect-src 'self';")
          .contains("object-src 'none'")
          .contains("base-uri 'none'")
          .endsWith(
              "frame-ancestors 'self' http://localhost:* http://127.0.0.1:*"
                  + " https://localhost:* https://127.0.0.1:*")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval")
          .doesNotContainPattern("\\s\\*(\\s|;|$)");
      assertThat(r.headers()).containsEntry("x-frame-options", "SAMEORIGIN");
      String etag = r.headers().get("etag");
      RawHttp.Response cached = exchange(server.port(), page, "If-None-Match: " + etag);
      assertThat(cached.status()).isEqualTo(304);
      assertThat(cached.headers().get("content-security-policy")).isEqualTo(csp);
      assertThat(cached.headers()).containsEntry("x-frame-options", "SAMEORIGIN");
    }
    assertThat(exchange(server.port(), "/app.js", null).headers().get("content-security-policy"))
        .isEqualTo(
            "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"web/index.html", "web/saliency.html"})
  void thePagesHtmlNeedsNothingInline(String resource) throws IOException {
    String html;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
    assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
    assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
    assertThat(html).doesNotContain("<style").doesNotContain("javascript:");
  }

  @Test
  void everyKindOfResponseCarriesTheHeaders() throws IOException {
    // exchange() checks the headers of each of these: page, script, API JSON, binary tile, 4xx.
    for (String target :
        List.of(
            "/",
            "/vendor/vega.min.js",
            "/style.css",
            "/api/runs",
            "/api/runs/latest/tiles/cosine/0/0/0?format=f32",
            "/healthz",
            "/nothing",
            "/api/runs/nope/manifest")) {
      exchange(server.port(), target, null);
    }
    RawHttp.Response tooLarge =
        exchangeRaw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n");
    assertThat(tooLarge.status()).isEqualTo(413);
  }

  // ---- plumbing ----

  /** {A}, {B} and LARGE in a target become the ids of the drift runs and of the large run. */
  private static String resolve(String target) {
    return target
        .replace("/A/", "/" + driftA + "/")
        .replace("/B/", "/" + driftB + "/")
        .replace("/B?", "/" + driftB + "?")
        .replace("/LARGE", "/" + LARGE);
  }

  private static JsonNode json(String target) throws IOException {
    RawHttp.Response r = exchange(server.port(), target, null);
    assertThat(r.status()).as(target + " → " + r.body()).isEqualTo(200);
    return TestServer.json(r.body());
  }

  /** GETs a raw target on a fresh connection, with one extra header line (or null). */
  private static RawHttp.Response exchange(int port, String target, String headerLine)
      throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      if (headerLine == null) {
        http.get(target);
      } else {
        http.get(target, headerLine);
      }
      return checked(http.read());
    }
  }

  /** Sends raw request bytes to the suite's server on a fresh connection. */
  private static RawHttp.Response exchangeRaw(String request) throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      http.send(request);
      return checked(http.read());
    }
  }

  /**
   * Every response: the security headers (framing only by loopback pages for the page's documents,
   * by none for anything else), never a CORS grant.
   */
  private static RawHttp.Response checked(RawHttp.Response r) {
    assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    assertThat(r.headers())
        .containsEntry("x-content-type-options", "nosniff")
        .containsEntry("referrer-policy", "no-referrer")
        .containsKey("content-security-policy");
    boolean page = r.headers().getOrDefault("content-security-policy", "").contains("script-src");
    assertThat(r.headers().get("x-frame-options")).isEqualTo(page ? "SAMEORIGIN" : "DENY");
    assertThat(r.headers().get("content-security-policy").contains("frame-ancestors 'none'"))
        .isEqualTo(!page);
    return r;
  }
}
