package org.simheat.jobs.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Hugging Face {@code tokenizer.json} or a GPT-2 style {@code vocab.json} as tokens by id,
 * streaming through the file so a large one (merges included) never sits in memory as a tree.
 *
 * <p>A tokenizer has a top-level {@code "model"} object: WordPiece and BPE keep {@code vocab} as
 * {@code {token: id}}, Unigram as a list of {@code [token, score]} pairs whose index is the id.
 * Top-level {@code added_tokens} ({@code [{"id", "content"}, …]}) then replace or extend those ids.
 * A file without {@code "model"} must be a flat {@code {token: id}} object.
 */
final class JsonVocabulary {
  private static final String PREFIX = "Cannot read vocabulary: ";
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final Set<String> MAP_MODELS = Set.of("WordPiece", "BPE");
  private static final String UNIGRAM = "Unigram";

  private final String uri;
  private final boolean namedTokenizer;
  private final IdVocabulary flat;
  private String firstNonId;
  private Model model;
  private List<AddedToken> added = List.of();

  private record Model(String type, IdVocabulary map, List<String> pieces) {}

  private record AddedToken(long id, String content) {}

  private JsonVocabulary(String uri, boolean namedTokenizer) {
    this.uri = uri;
    this.namedTokenizer = namedTokenizer;
    this.flat = new IdVocabulary(uri);
  }

  /**
   * Reads the tokens of a JSON vocabulary in id order.
   *
   * @param namedTokenizer whether the file name says {@code tokenizer.json}, so a missing {@code
   *     "model"} is an error rather than a sign of a flat {@code vocab.json}
   * @throws IllegalArgumentException if the file is missing, not JSON, of an unsupported model
   *     type, or its ids do not run 0…n−1
   * @throws UncheckedIOException if the file system fails
   */
  static List<String> read(String uri, Configuration conf, boolean namedTokenizer) {
    try (InputStream in = SequentialFile.open(uri, conf, PREFIX);
        JsonParser parser = JSON.createParser(in)) {
      return new JsonVocabulary(uri, namedTokenizer).parse(parser);
    } catch (JsonProcessingException e) {
      throw error("invalid JSON" + where(e.getLocation()) + ": " + firstLine(e), uri);
    } catch (IOException e) {
      throw new UncheckedIOException(PREFIX + e.getMessage() + " (" + uri + ")", e);
    }
  }

  private List<String> parse(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw error("expected a JSON object at the top level", uri);
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("model") && value == JsonToken.START_OBJECT) {
        model = readModel(p);
      } else if (name.equals("added_tokens") && value == JsonToken.START_ARRAY) {
        added = readAddedTokens(p);
      } else if (value == JsonToken.VALUE_NUMBER_INT) {
        flat.put(p.getLongValue(), name);
      } else {
        firstNonId = firstNonId == null ? name : firstNonId;
        p.skipChildren();
      }
    }
    return model != null ? tokenizerTokens() : flatTokens();
  }

  private List<String> flatTokens() {
    if (namedTokenizer) {
      throw error("no \"model\" object, so it is not a Hugging Face tokenizer.json", uri);
    }
    if (firstNonId != null) {
      throw error(
          "expected a tokenizer.json with a \"model\" object or a flat {\"token\": id} object, but '"
              + firstNonId
              + "' does not hold an integer id",
          uri);
    }
    return flat.toList();
  }

  private List<String> tokenizerTokens() {
    IdVocabulary vocab = modelVocabulary();
    for (AddedToken token : added) {
      vocab.override(token.id(), token.content());
    }
    return vocab.toList();
  }

  private IdVocabulary modelVocabulary() {
    String type = model.type();
    if (type == null) {
      throw error("the tokenizer model has no type, expected WordPiece, BPE or Unigram", uri);
    }
    if (MAP_MODELS.contains(type) && model.map() != null) {
      return model.map();
    }
    if (type.equals(UNIGRAM) && model.pieces() != null) {
      IdVocabulary vocab = new IdVocabulary(uri);
      for (int id = 0; id < model.pieces().size(); id++) {
        vocab.put(id, model.pieces().get(id));
      }
      return vocab;
    }
    if (MAP_MODELS.contains(type) || type.equals(UNIGRAM)) {
      String expected = type.equals(UNIGRAM) ? "a list of [token, score] pairs" : "{token: id}";
      throw error("tokenizer model '" + type + "' has no vocab of the form " + expected, uri);
    }
    throw error(
        "tokenizer model type '" + type + "' is not supported, expected WordPiece, BPE or Unigram",
        uri);
  }

  private Model readModel(JsonParser p) throws IOException {
    String type = null;
    IdVocabulary map = null;
    List<String> pieces = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("type") && value == JsonToken.VALUE_STRING) {
        type = p.getText();
      } else if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
        map = readIdObject(p);
      } else if (name.equals("vocab") && value == JsonToken.START_ARRAY) {
        pieces = readPieces(p);
      } else {
        p.skipChildren();
      }
    }
    return new Model(type, map, pieces);
  }

  private IdVocabulary readIdObject(JsonParser p) throws IOException {
    IdVocabulary vocab = new IdVocabulary(uri);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String token = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
        throw error(
            "token '" + token + "' in model.vocab has id " + p.getText() + ", expected an integer",
            uri);
      }
      vocab.put(p.getLongValue(), token);
    }
    return vocab;
  }

  private List<String> readPieces(JsonParser p) throws IOException {
    List<String> pieces = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
        throw error("model.vocab entry " + pieces.size() + " is not a [token, score] pair", uri);
      }
      pieces.add(p.getText());
      while (p.nextToken() != JsonToken.END_ARRAY) {
        p.skipChildren();
      }
    }
    return pieces;
  }

  private List<AddedToken> readAddedTokens(JsonParser p) throws IOException {
    List<AddedToken> tokens = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw error("added_tokens entry " + tokens.size() + " is not an object", uri);
      }
      tokens.add(readAddedToken(p, tokens.size()));
    }
    return tokens;
  }

  private AddedToken readAddedToken(JsonParser p, int index) throws IOException {
    Long id = null;
    String content = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("id") && value == JsonToken.VALUE_NUMBER_INT) {
        id = p.getLongValue();
      } else if (name.equals("content") && value == JsonToken.VALUE_STRING) {
        content = p.getText();
      } else {
        p.skipChildren();
      }
    }
    if (id == null || content == null) {
      throw error(
          "added_tokens entry " + index + " needs an integer \"id\" and a string \"content\"", uri);
    }
    return new AddedToken(id, content);
  }

  private static String where(JsonLocation location) {
    return location == null
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String firstLine(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static IllegalArgumentException error(String what, String uri) {
    return new IllegalArgumentException(PREFIX + what + " (" + uri + ")");
  }
}
