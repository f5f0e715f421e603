package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.viewer.service.ApiException;

/** Strict numbers: plain decimal digits in range, or a 400 naming the parameter and value. */
class QueryParamsTest {
  @Test
  void parsesPlainDigits() {
    assertThat(QueryParams.parse("z", "0", 10)).isZero();
    assertThat(QueryParams.parse("i", "0042", Long.MAX_VALUE)).isEqualTo(42);
    assertThat(QueryParams.parse("i", "9223372036854775807", Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "١٢", "NaN", "1_000"})
  void rejectsAnythingElse(String value) {
    assertThatThrownBy(() -> QueryParams.parse("k", value, Integer.MAX_VALUE))
        .isInstanceOf(ApiException.class)
        .hasMessage("Bad k: '" + value + "' is not a non-negative decimal integer");
  }

  @Test
  void rejectsOutOfRange() {
    assertThatThrownBy(() -> QueryParams.parse("k", "2147483648", Integer.MAX_VALUE))
        .hasMessage("Bad k: 2147483648 is larger than 2147483647");
    assertThatThrownBy(() -> QueryParams.parse("i", "9223372036854775808", Long.MAX_VALUE))
        .hasMessage("Bad i: 9223372036854775808 is larger than 9223372036854775807");
  }

  @Test
  void defaultsRepeatsAndRequired() {
    QueryParams q = new QueryParams(Map.of("k", List.of("5"), "x", List.of("1", "2")));
    assertThat(q.intOr("k", 10)).isEqualTo(5);
    assertThat(q.intOr("absent", 10)).isEqualTo(10);
    assertThat(q.longOrNull("absent")).isNull();
    assertThatThrownBy(() -> q.get("x")).hasMessage("Bad parameter 'x': given more than once");
    assertThatThrownBy(() -> q.require("absent")).hasMessage("Missing parameter 'absent'");
    assertThat(q.require("k")).isEqualTo("5");
  }
}
