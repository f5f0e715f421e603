package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonLiteralParserTest {
  @Test
  void parsesANumpyHeaderDict() throws Exception {
    Object parsed =
        PythonLiteralParser.parse(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (30522, 384), }          \n");

    assertThat(parsed)
        .isEqualTo(
            Map.of(
                "descr",
                "<f4",
                "fortran_order",
                false,
                "shape",
                new PythonLiteralParser.Tuple(List.of(30522L, 384L))));
  }

  @Test
  void tellsTuplesFromParenthesisedValues() throws Exception {
    assertThat(PythonLiteralParser.parse("(3)")).isEqualTo(3L);
    assertThat(PythonLiteralParser.parse("(3,)"))
        .isEqualTo(new PythonLiteralParser.Tuple(List.of(3L)));
    assertThat(PythonLiteralParser.parse("()")).isEqualTo(new PythonLiteralParser.Tuple(List.of()));
  }

  @Test
  void keepsNoneInsideATuple() throws Exception {
    // Found by NpyFuzzTest: a tuple holding None used to throw a NullPointerException.
    assertThat(PythonLiteralParser.parse("(None, 3)"))
        .isEqualTo(new PythonLiteralParser.Tuple(java.util.Arrays.asList(null, 3L)));
    assertThat(PythonLiteralParser.repr(PythonLiteralParser.parse("(None,)"))).isEqualTo("(None,)");
  }

  @Test
  void parsesNestedValuesStringsAndNumbers() throws Exception {
    Object parsed =
        PythonLiteralParser.parse("[('a', \"b\\\"c\"), None, True, -2, 2.5e1, 'x\\x41\\u00e9\\'']");

    assertThat(parsed)
        .isEqualTo(
            Arrays.asList(
                new PythonLiteralParser.Tuple(List.of("a", "b\"c")),
                null,
                true,
                -2L,
                25.0,
                "xAé'"));
  }

  @Test
  void printsValuesAsPythonRepr() throws Exception {
    String text = "{'descr': [('a', '<f4')], 'shape': (3,), 'x': None, 'y': True}";

    assertThat(PythonLiteralParser.repr(PythonLiteralParser.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'a': 1 | ',' or '}' expected at character 7",
        "{'a' 1} | ':' expected at character 5",
        "'abc | unterminated string at character 4",
        "{'a': 1} x | unexpected text after the literal at character 9",
        "{'a': nan} | unknown value 'nan' at character 6",
        "{'a': } | a value expected at character 6",
        "99999999999999999999 | integer out of range: 99999999999999999999 at character 0",
        "'' '' | unexpected text after the literal at character 3"
      })
  void reportsWhatWasExpectedAndWhere(String text, String message) {
    assertThatThrownBy(() -> PythonLiteralParser.parse(text))
        .isInstanceOf(PythonLiteralParser.SyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void refusesDeepNestingInsteadOfOverflowingTheStack() {
    assertThatThrownBy(() -> PythonLiteralParser.parse("(".repeat(100_000)))
        .isInstanceOf(PythonLiteralParser.SyntaxException.class)
        .hasMessageStartingWith("nesting deeper than 64");
  }
}
