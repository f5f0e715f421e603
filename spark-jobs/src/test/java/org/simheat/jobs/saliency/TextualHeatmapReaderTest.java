package org.simheat.jobs.saliency;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** textualheatmap's JSON format: what is accepted, and the one line each kind of bad input gets. */
class TextualHeatmapReaderTest {
  @TempDir Path tmp;

  private SaliencyText read(String json) throws IOException {
    Path f = tmp.resolve("in.json");
    Files.writeString(f, json);
    return TextualHeatmapReader.read(
        new org.apache.hadoop.fs.Path(f.toString()), new Configuration());
  }

  private void assertError(String json, String expected) {
    String file = tmp.resolve("in.json").toString();
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot import saliency from " + file + ": " + expected);
  }

  @Test
  void readsTokensMetaHeatAndFormat() throws IOException {
    SaliencyText t =
        read(
            "[[{\"token\":\"a\",\"meta\":[\"x\",\"y\"],\"heat\":[1,-2.5],\"format\":false},"
                + "{\"format\":true,\"token\":\" \"}],"
                + "[{\"token\":\"A\"},{\"token\":\"B\",\"heat\":[0,1e-3]}]]");
    SaliencyFiles.assertSame(
        new SaliencyText(
            List.of(
                List.of(
                    new SaliencyToken("a", List.of("x", "y"), new float[] {1f, -2.5f}, false),
                    new SaliencyToken(" ", List.of(), null, true)),
                List.of(
                    new SaliencyToken("A", List.of(), null, false),
                    new SaliencyToken("B", List.of(), new float[] {0f, 1e-3f}, false)))),
        t);
  }

  @Test
  void badJsonNamesLineAndColumn() {
    assertError(
        "[[{\"token\": \"a\",\n  \"heat\": [1, }]]",
        "facet 0, token 0: bad JSON at line 2, column 15: Unexpected character ('}' (code 125)): expected a value");
  }

  @Test
  void invalidUtf8InAStringIsBadJson() throws IOException {
    // Found by TextualHeatmapFuzzTest: Jackson decodes strings lazily, and the error escaped as an
    // UncheckedIOException without the file name.
    Path f = tmp.resolve("in.json");
    Files.write(
        f,
        new byte[] {
          '[',
          '[',
          '{',
          '"',
          't',
          'o',
          'k',
          'e',
          'n',
          '"',
          ':',
          '"',
          (byte) 0xc7,
          'x',
          '"',
          '}',
          ']',
          ']'
        });
    assertThatThrownBy(
            () ->
                TextualHeatmapReader.read(
                    new org.apache.hadoop.fs.Path(f.toString()), new Configuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot import saliency from " + f + ": facet 0, token 0: bad JSON at line 1, column ")
        .hasMessageEndingWith(": Invalid UTF-8 middle byte 0x78");
  }

  @Test
  void truncatedJson() {
    assertError(
        "[[{\"token\": \"a\"}",
        "facet 0, token 1: bad JSON at line 1, column 17: Unexpected end-of-input: expected close"
            + " marker for Array (opened at line 1, column 2)");
  }

  @Test
  void trailingContent() {
    assertError(
        "[[{\"token\": \"a\"}]] []",
        "bad JSON at line 1, column 21: content after the list of facets: a list");
  }

  @Test
  void missingFile() {
    String missing = tmp.resolve("nope.json").toString();
    assertThatThrownBy(
            () ->
                TextualHeatmapReader.read(
                    new org.apache.hadoop.fs.Path(missing), new Configuration()))
        .hasMessage("Cannot import saliency from " + missing + ": no such file");
  }

  @Test
  void notAListOfLists() {
    assertError("{\"token\": \"a\"}", "expected a list of facets, found an object");
    assertError("", "expected a list of facets, found nothing");
    assertError("[]", "the list of facets is empty");
    assertError(
        "[[{\"token\": \"a\"}], {}]", "facet 1: expected a list of tokens, found an object");
    assertError(
        "[[{\"token\": \"a\"}, \"b\"]]",
        "facet 0, token 1: expected a token object, found a string");
    assertError("[[{\"token\": \"a\"}], []]", "facet 1: the facet has no tokens");
  }

  @Test
  void aTokenWithoutToken() {
    assertError("[[{\"token\": \"a\"}, {\"meta\": [\"m\"]}]]", "facet 0, token 1: no \"token\"");
    assertError(
        "[[{\"token\": null}]]", "facet 0, token 0: \"token\" must be a string, found null");
  }

  @Test
  void unequalFacetLengths() {
    assertError(
        "[[{\"token\": \"a\"}, {\"token\": \"b\"}], [{\"token\": \"A\"}]]",
        "facet 1, token 1: facet 1 has 1 tokens but facet 0 has 2");
    assertError(
        "[[{\"token\": \"a\"}], [{\"token\": \"A\"}, {\"token\": \"B\"}, {\"token\": \"C\"}]]",
        "facet 1, token 1: facet 1 has 3 tokens but facet 0 has 1");
  }

  @Test
  void heatRowsOfTheWrongLength() {
    assertError(
        "[[{\"token\": \"a\", \"heat\": [1, 2]}, {\"token\": \"b\", \"heat\": [1, 2, 3]}]]",
        "facet 0, token 1: \"heat\" has 3 values but the text has 2 tokens");
  }

  @Test
  void nonFiniteHeat() {
    assertError(
        "[[{\"token\": \"a\", \"heat\": [NaN]}]]",
        "facet 0, token 0: \"heat\"[0] is NaN; heat values must be finite");
    assertError(
        "[[{\"token\": \"a\", \"heat\": [0, -Infinity]}, {\"token\": \"b\"}]]",
        "facet 0, token 0: \"heat\"[1] is -Infinity; heat values must be finite");
    assertError(
        "[[{\"token\": \"a\", \"heat\": [1e39]}]]",
        "facet 0, token 0: \"heat\"[0] = 1e39 is beyond the float range");
  }

  @Test
  void wrongTypes() {
    assertError(
        "[[{\"token\": 3}]]", "facet 0, token 0: \"token\" must be a string, found a number");
    assertError(
        "[[{\"token\": \"a\", \"meta\": \"m\"}]]",
        "facet 0, token 0: \"meta\" must be a list of strings, found a string");
    assertError(
        "[[{\"token\": \"a\", \"meta\": [\"m\", 1]}]]",
        "facet 0, token 0: \"meta\"[1] must be a string, found a number");
    assertError(
        "[[{\"token\": \"a\", \"heat\": {}}]]",
        "facet 0, token 0: \"heat\" must be a list of numbers, found an object");
    assertError(
        "[[{\"token\": \"a\", \"heat\": [\"1\"]}]]",
        "facet 0, token 0: \"heat\"[0] must be a number, found a string");
    assertError(
        "[[{\"token\": \"a\", \"format\": 1}]]",
        "facet 0, token 0: \"format\" must be true or false, found a number");
  }
}
