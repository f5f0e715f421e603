package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Checks that an error body is {@code {"error": …}} and leaks no stack trace or internal path. */
public final class ErrorBodies {
  private ErrorBodies() {}

  /** Asserts the body is a clean JSON error; returns its message. */
  public static String assertClean(String body) {
    assertLeaksNothing(body);
    JsonNode json = TestServer.json(body);
    assertThat(json.size()).as(body).isEqualTo(1);
    assertThat(json.path("error").isTextual()).as(body).isTrue();
    return json.get("error").asText();
  }

  /**
   * Asserts the body is a clean JSON error that does not name the data directory either; returns
   * its message.
   */
  public static String assertClean(String body, Path dataDir) {
    assertThat(body).doesNotContain(dataDir.toAbsolutePath().toString());
    return assertClean(body);
  }

  /**
   * Asserts that a body of any kind holds no stack trace (an exception's name, a frame, a source
   * line) and no internal path.
   */
  public static void assertLeaksNothing(String body) {
    assertThat(body)
        .doesNotContain("Exception")
        .doesNotContain("Error:")
        .doesNotContain("at org.")
        .doesNotContain("at io.netty")
        .doesNotContain("at java.")
        .doesNotContain(".java:")
        .doesNotContain("/work")
        .doesNotContain("/tmp")
        .doesNotContain("/root")
        .doesNotContain("/home/");
  }
}
