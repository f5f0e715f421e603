package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks that an error body is {@code {"error": …}} and leaks no stack trace or internal path. */
public final class ErrorBodies {
  private ErrorBodies() {}

  /** Asserts the body is a clean JSON error; returns its message. */
  public static String assertClean(String body) {
    assertThat(body)
        .doesNotContain("Exception")
        .doesNotContain("at org.")
        .doesNotContain("at io.netty")
        .doesNotContain("/work")
        .doesNotContain("/tmp")
        .doesNotContain("/root");
    JsonNode json = TestServer.json(body);
    assertThat(json.size()).as(body).isEqualTo(1);
    assertThat(json.path("error").isTextual()).as(body).isTrue();
    return json.get("error").asText();
  }
}
