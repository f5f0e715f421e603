package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code Accept-Encoding} values get gzip. */
class TextCompressorTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip | true",
        "gzip, deflate, br, zstd | true",
        "br;q=1.0, gzip;q=0.2 | true",
        "GZIP | true",
        "x-gzip | true",
        "* | true",
        "*;q=0 | false",
        "gzip;q=0, * | false",
        "gzip;q=0 | false",
        "deflate, br | false",
        "identity | false",
        "gzip;q=abc | false",
      })
  void acceptsGzip(String header, boolean expected) {
    assertThat(TextCompressor.acceptsGzip(header)).isEqualTo(expected);
  }
}
