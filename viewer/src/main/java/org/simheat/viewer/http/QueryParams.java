package org.simheat.viewer.http;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.simheat.viewer.service.ApiException;

/**
 * Query parameters (already percent-decoded once) and the strict parsing of the API's numbers:
 * plain decimal digits, no sign, no spaces, in range; anything else is a 400 that names the
 * parameter and the value.
 */
final class QueryParams {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private final Map<String, List<String>> params;

  QueryParams(Map<String, List<String>> params) {
    this.params = Map.copyOf(params);
  }

  /**
   * The single value of a parameter, or null when it is absent.
   *
   * @throws ApiException 400 if it is given more than once
   */
  String get(String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badRequest("Bad parameter '" + name + "': given more than once");
    }
    return values.get(0);
  }

  /**
   * A required parameter.
   *
   * @throws ApiException 400 if it is absent, empty or repeated
   */
  String require(String name) {
    String value = get(name);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("Missing parameter '" + name + "'");
    }
    return value;
  }

  /**
   * An optional non-negative int parameter.
   *
   * @throws ApiException 400 if it is malformed or out of range
   */
  int intOr(String name, int fallback) {
    String value = get(name);
    return value == null ? fallback : (int) parse(name, value, Integer.MAX_VALUE);
  }

  /**
   * An optional non-negative long parameter, or null when absent.
   *
   * @throws ApiException 400 if it is malformed
   */
  Long longOrNull(String name) {
    String value = get(name);
    return value == null ? null : parse(name, value, Long.MAX_VALUE);
  }

  /**
   * An optional boolean parameter: {@code true} or {@code false} (also {@code 1} or {@code 0}).
   *
   * @throws ApiException 400 naming the parameter and the value if it is anything else
   */
  boolean booleanOr(String name, boolean fallback) {
    String value = get(name);
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw ApiException.badRequest(
              "Bad " + name + ": '" + RequestTarget.echo(value) + "' is not true or false");
    };
  }

  /**
   * Parses a non-negative decimal integer no larger than {@code max}.
   *
   * @throws ApiException 400 naming the parameter and the value otherwise
   */
  static long parse(String name, String value, long max) {
    if (!DIGITS.matcher(value).matches()) {
      throw ApiException.badRequest(
          "Bad "
              + name
              + ": '"
              + RequestTarget.echo(value)
              + "' is not a non-negative decimal integer");
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    if (parsed < 0 || parsed > max) {
      throw ApiException.badRequest(
          "Bad " + name + ": " + RequestTarget.echo(value) + " is larger than " + max);
    }
    return parsed;
  }
}
