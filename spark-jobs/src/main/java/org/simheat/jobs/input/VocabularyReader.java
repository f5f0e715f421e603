package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a vocabulary, one token per matrix row, choosing the format by file name: a {@code .json}
 * file is a Hugging Face {@code tokenizer.json} or a GPT-2 style {@code vocab.json}; anything else
 * is UTF-8 text with one token per line (BERT {@code vocab.txt}, xl-heatmap's {@code NAME.txt}).
 *
 * <p>In text, lines end at {@code "\n"} or {@code "\r\n"}; a newline at the end of the file does
 * not add a token, and is not required. Every other line is a token, empty lines and repeats
 * included, so line i is always row i.
 */
public final class VocabularyReader {
  private static final String PREFIX = "Cannot read vocabulary: ";

  private VocabularyReader() {}

  /**
   * Reads the tokens of a vocabulary file in row order.
   *
   * @param uri a bare local path or a Hadoop file system URI
   * @throws IllegalArgumentException if the file is missing or empty, text that is not UTF-8
   *     (naming the line), JSON of an unsupported shape or tokenizer model type, or JSON whose ids
   *     do not run 0…n−1 (naming the first missing id)
   * @throws UncheckedIOException if the file system fails
   */
  public static List<String> read(String uri, Configuration conf) {
    String name = InputFile.path(uri).getName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return JsonVocabulary.read(uri, conf, name.endsWith("tokenizer.json"));
    }
    return readLines(uri, conf);
  }

  private static List<String> readLines(String uri, Configuration conf) {
    List<String> tokens = new ArrayList<>();
    try (Utf8LineReader lines = Utf8LineReader.open(uri, conf, PREFIX)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        tokens.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(PREFIX + e.getMessage() + " (" + uri + ")", e);
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "the file is empty (" + uri + ")");
    }
    return tokens;
  }
}
