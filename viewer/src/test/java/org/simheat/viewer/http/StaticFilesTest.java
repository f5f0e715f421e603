package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page's fixed file set: what is listed and present, nothing else. */
class StaticFilesTest {
  private static final ClassLoader LOADER = StaticFilesTest.class.getClassLoader();

  @Test
  void servesExactlyTheListedFilesThatExist() {
    StaticFiles files = StaticFiles.load(LOADER, "testweb");
    assertThat(files.paths())
        .containsExactlyInAnyOrder(
            "/", "/index.html", "/app.js", "/style.css", "/vendor/lib.min.js");
    StaticFiles.Asset css = files.find("/style.css");
    assertThat(new String(css.bytes(), StandardCharsets.UTF_8))
        .isEqualTo("body { font-family: sans-serif; margin: 0; }\n");
    assertThat(css.contentType()).isEqualTo("text/css; charset=utf-8");
    assertThat(files.find("/")).isSameAs(files.find("/index.html"));
    assertThat(files.find("/secret.txt")).isNull();
    assertThat(files.find("/missing.js")).isNull();
  }

  @Test
  void theRealPageListIsReadable() throws java.io.IOException {
    StaticFiles files = StaticFiles.load(LOADER, "web");
    java.util.List<String> expected = new java.util.ArrayList<>(java.util.List.of("/"));
    try (var in = LOADER.getResourceAsStream("web/files.txt")) {
      new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .forEach(l -> expected.add("/" + l));
    }
    assertThat(expected).contains("/index.html", "/app.js", "/vendor/vega-embed.min.js");
    assertThat(files.paths())
        .as("every listed file is in the jar")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aMissingListServesNothingAndAnUnsafeNameFailsStartup() {
    assertThat(StaticFiles.load(LOADER, "no-such-root").paths()).isEmpty();
    assertThatThrownBy(() -> StaticFiles.load(LOADER, "testweb-unsafe"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("testweb-unsafe/files.txt lists an unsafe name: '../log4j2.properties'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x", "a/../b", "./a", "a/.", "..", ".", "/abs.js", "a//b", "a\\b", "a b", "a/", "%2e"
      })
  void unsafeNames(String name) {
    assertThat(StaticFiles.safeName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"index.html", "vendor/vega.min.js", ".well-known", "a/b/c-d_e.js"})
  void safeNames(String name) {
    assertThat(StaticFiles.safeName(name)).isTrue();
  }

  @Test
  void mediaTypes() {
    assertThat(StaticFiles.contentType("a.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(StaticFiles.contentType("a.HTML")).isEqualTo("text/html; charset=utf-8");
    assertThat(StaticFiles.contentType("LICENSE")).isEqualTo("application/octet-stream");
    assertThat(StaticFiles.compressible("image/png")).isFalse();
    assertThat(StaticFiles.compressible("image/svg+xml")).isTrue();
  }
}
