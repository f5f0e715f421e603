package org.simheat.jobs.saliency;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads textualheatmap's data format with Jackson's streaming parser: a JSON list of facets, each a
 * list of tokens {@code {"token": str, "meta": [str…], "heat": [float…], "format": bool}}. A
 * missing (or null) {@code meta}, {@code heat} or {@code format} means empty, none and false; other
 * keys are ignored. Heat values are stored as floats, so each must be finite and within float range
 * ({@code NaN} and {@code Infinity}, which Python's {@code json.dumps} writes, are read and
 * refused).
 *
 * <p>Every problem is one {@link IllegalArgumentException} line naming the file and, where there is
 * one, the facet and the token index: {@code Cannot import saliency from F: facet 1, token 4:
 * "heat" has 3 values but the text has 5 tokens}.
 *
 * <p>Cost: one pass over the file; memory is the heat values as floats (4 bytes each) plus the
 * tokens.
 */
public final class TextualHeatmapReader {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Jackson's note on where an unclosed list or object began, with its source description. */
  private static final String START_MARKER =
      "\\(start marker at \\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]\\)";

  private final String file;
  private final JsonParser p;
  private int facet = -1;
  private int token = -1;

  private TextualHeatmapReader(String file, JsonParser p) {
    this.file = file;
    this.p = p;
  }

  /**
   * Reads a textualheatmap JSON file.
   *
   * @throws IllegalArgumentException for a missing file, bad JSON, or data that is not
   *     textualheatmap's format (one line naming the file, facet and token)
   */
  public static SaliencyText read(Path file, Configuration conf) {
    String name = file.toString();
    try (InputStream in = file.getFileSystem(conf).open(file);
        JsonParser p = JSON.createParser(in)) {
      return new TextualHeatmapReader(name, p).text();
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("Cannot import saliency from " + name + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot import saliency from " + name + ": " + e.getMessage(), e);
    }
  }

  private SaliencyText text() throws IOException {
    JsonToken t = next();
    if (t != JsonToken.START_ARRAY) {
      throw error("expected a list of facets, found " + describe(t));
    }
    List<List<SaliencyToken>> facets = new ArrayList<>();
    facet = 0;
    while ((t = next()) != JsonToken.END_ARRAY) {
      facets.add(facet(t, facets.isEmpty() ? -1 : facets.get(0).size()));
      token = -1;
      facet = facets.size();
    }
    facet = -1;
    if (facets.isEmpty()) {
      throw error("the list of facets is empty");
    }
    if ((t = next()) != null) {
      throw badJson(p.currentLocation(), "content after the list of facets: " + describe(t));
    }
    return new SaliencyText(facets);
  }

  /** One facet, its tokens checked against the first facet's length (or its own, for the first). */
  private List<SaliencyToken> facet(JsonToken t, int expected) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw error("expected a list of tokens, found " + describe(t));
    }
    List<SaliencyToken> tokens = new ArrayList<>();
    token = 0;
    while ((t = next()) != JsonToken.END_ARRAY) {
      tokens.add(token(t));
      token = tokens.size();
    }
    if (tokens.isEmpty()) {
      token = -1;
      throw error("the facet has no tokens");
    }
    if (expected >= 0 && tokens.size() != expected) {
      token = Math.min(tokens.size(), expected);
      throw error(
          "facet " + facet + " has " + tokens.size() + " tokens but facet 0 has " + expected);
    }
    checkHeatRows(tokens);
    return tokens;
  }

  private void checkHeatRows(List<SaliencyToken> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      float[] heat = tokens.get(i).heat();
      if (heat != null && heat.length != tokens.size()) {
        token = i;
        throw error(
            "\"heat\" has "
                + heat.length
                + " values but the text has "
                + tokens.size()
                + " tokens");
      }
    }
  }

  private SaliencyToken token(JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw error("expected a token object, found " + describe(t));
    }
    String text = null;
    List<String> meta = List.of();
    float[] heat = null;
    boolean format = false;
    while ((t = next()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      t = next();
      switch (key) {
        case "token" -> text = string(t);
        case "meta" -> meta = meta(t);
        case "heat" -> heat = heat(t);
        case "format" -> format = format(t);
        default -> p.skipChildren();
      }
    }
    if (text == null) {
      throw error("no \"token\"");
    }
    return new SaliencyToken(text, meta, heat, format);
  }

  private String string(JsonToken t) {
    if (t != JsonToken.VALUE_STRING) {
      throw error("\"token\" must be a string, found " + describe(t));
    }
    return currentText();
  }

  private List<String> meta(JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (t != JsonToken.START_ARRAY) {
      throw error("\"meta\" must be a list of strings, found " + describe(t));
    }
    List<String> meta = new ArrayList<>();
    while ((t = next()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw error("\"meta\"[" + meta.size() + "] must be a string, found " + describe(t));
      }
      meta.add(currentText());
    }
    return List.copyOf(meta);
  }

  private float[] heat(JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      throw error("\"heat\" must be a list of numbers, found " + describe(t));
    }
    float[] heat = new float[16];
    int n = 0;
    while ((t = next()) != JsonToken.END_ARRAY) {
      if (n == heat.length) {
        heat = Arrays.copyOf(heat, 2 * n);
      }
      heat[n] = heatValue(t, n);
      n++;
    }
    return Arrays.copyOf(heat, n);
  }

  private float heatValue(JsonToken t, int index) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw error("\"heat\"[" + index + "] must be a number, found " + describe(t));
    }
    double v = p.getDoubleValue();
    if (!Double.isFinite(v)) {
      throw error("\"heat\"[" + index + "] is " + p.getText() + "; heat values must be finite");
    }
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw error("\"heat\"[" + index + "] = " + p.getText() + " is beyond the float range");
    }
    return f;
  }

  private boolean format(JsonToken t) {
    return switch (t) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw error("\"format\" must be true or false, found " + describe(t));
    };
  }

  /** The current string; Jackson decodes it lazily, so bad UTF-8 inside it shows up here. */
  private String currentText() {
    try {
      return p.getText();
    } catch (JsonProcessingException e) {
      throw badJson(e.getLocation(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot import saliency from " + file + ": " + e.getMessage(), e);
    }
  }

  /** The next token; a JSON syntax error becomes one line with its line and column. */
  private JsonToken next() throws IOException {
    try {
      return p.nextToken();
    } catch (JsonProcessingException e) {
      throw badJson(e.getLocation(), e.getOriginalMessage());
    }
  }

  private IllegalArgumentException badJson(JsonLocation at, String why) {
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String cleaned =
        why.replaceAll(START_MARKER, "(opened at line $1, column $2)")
            .replaceAll("\\s*\\R\\s*", " ");
    return error("bad JSON" + where + ": " + cleaned);
  }

  /** An error at the current facet and token, if any. */
  private IllegalArgumentException error(String why) {
    StringBuilder s = new StringBuilder("Cannot import saliency from ").append(file).append(": ");
    if (facet >= 0) {
      s.append("facet ").append(facet).append(token >= 0 ? ", token " + token : "").append(": ");
    }
    return new IllegalArgumentException(s.append(why).toString());
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }
}
