package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.simheat.viewer.service.ApiException;

/** Splitting and decoding request targets: once, strictly, never normalised. */
class RequestTargetTest {
  @Test
  void segmentsAreDecodedExactlyOnce() {
    RequestTarget t = RequestTarget.parse("/api/runs/%2e%2e/x%252e?q=a+b&limit=3");
    assertThat(t.rawPath()).isEqualTo("/api/runs/%2e%2e/x%252e");
    assertThat(t.segments()).containsExactly("api", "runs", "..", "x%2e");
    assertThat(t.isApi()).isTrue();
    assertThat(t.query().get("q")).isEqualTo("a b");
    assertThat(t.query().get("limit")).isEqualTo("3");
  }

  @Test
  void plusStaysAPlusInPathsAndUtf8Decodes() {
    assertThat(RequestTarget.percentDecode("a+b")).isEqualTo("a+b");
    assertThat(RequestTarget.percentDecode("na%C3%AFve%E6%9D%B1%E4%BA%AC")).isEqualTo("naïve東京");
    assertThat(RequestTarget.parse("/").segments()).containsExactly("");
    assertThat(RequestTarget.parse("/").isApi()).isFalse();
  }

  @Test
  void malformedEscapesAre400() {
    assertThatThrownBy(() -> RequestTarget.percentDecode("%zz"))
        .isInstanceOf(ApiException.class)
        .hasMessage("Bad path segment '%zz': malformed percent-encoding");
    assertThatThrownBy(() -> RequestTarget.percentDecode("abc%2"))
        .hasMessage("Bad path segment 'abc%2': malformed percent-encoding");
    assertThatThrownBy(() -> RequestTarget.percentDecode("%c0%ae"))
        .hasMessage("Bad path segment '%c0%ae': not UTF-8");
    assertThatThrownBy(() -> RequestTarget.percentDecode("%\u0663\u0663"))
        .hasMessage("Bad path segment '%\u0663\u0663': malformed percent-encoding");
    assertThatThrownBy(() -> RequestTarget.percentDecode("caf\u00e9"))
        .hasMessage("Bad path segment 'caf\u00e9': a raw character outside printable ASCII");
    assertThat(((ApiException) catchApi("%zz")).status()).isEqualTo(400);
  }

  @Test
  void onlyOriginFormTargets() {
    assertThatThrownBy(() -> RequestTarget.parse("http://evil.example/api/runs"))
        .hasMessage("Bad request target: it must start with '/'");
    assertThatThrownBy(() -> RequestTarget.parse("*"))
        .hasMessage("Bad request target: it must start with '/'");
    assertThatThrownBy(() -> RequestTarget.parse("/api/runs?q=%zz").query().get("q"))
        .hasMessage("Bad query string: malformed percent-encoding");
  }

  @Test
  void atMost64QueryParametersCountedAsTheDecoderSplits() {
    String sixtyFour = "/api/runs?" + "a=1&".repeat(32) + "b;".repeat(32);
    assertThat(RequestTarget.parse(sixtyFour).query().get("q")).isNull();
    assertThat(RequestTarget.parse("/?&&;;a&&").query().get("a")).isEqualTo("");
    assertThatThrownBy(() -> RequestTarget.parse(sixtyFour + "c"))
        .isInstanceOf(ApiException.class)
        .hasMessage("Too many query parameters: at most 64");
    assertThatThrownBy(() -> RequestTarget.parse("/?" + "x&".repeat(2000)))
        .hasMessage("Too many query parameters: at most 64");
  }

  @Test
  void longValuesAreCutInMessages() {
    String echoed = RequestTarget.echo("x".repeat(500));
    assertThat(echoed).hasSize(61).endsWith("…");
  }

  private static Throwable catchApi(String segment) {
    try {
      RequestTarget.percentDecode(segment);
      return null;
    } catch (ApiException e) {
      return e;
    }
  }
}
