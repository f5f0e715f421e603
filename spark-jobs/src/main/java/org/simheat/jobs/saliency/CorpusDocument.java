package org.simheat.jobs.saliency;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * One document of a corpus.
 *
 * @param doc the document id
 * @param uri where it came from (a file, or {@code file#line})
 * @param text the text
 */
record CorpusDocument(String doc, String uri, String text) implements Serializable {
  private static final int TITLE_WORDS = 8;

  /** The id of line {@code line} (1-based) of a corpus file: {@code <file-stem>-<line>}. */
  static String lineId(String fileName, long line) {
    String suffix = "-" + line;
    String stem = SaliencyImport.slug(stem(fileName));
    stem = stem.substring(0, Math.min(stem.length(), 64 - suffix.length())).replaceAll("-+$", "");
    return (stem.isEmpty() ? "line" : stem) + suffix;
  }

  /** The id of a document file: its stem as a slug (empty when the stem has no letter or digit). */
  static String fileId(String fileName) {
    return SaliencyImport.slug(stem(fileName));
  }

  private static String stem(String fileName) {
    String name = fileName.substring(fileName.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The first eight words of the text, with an ellipsis when there are more. */
  String title() {
    String[] words = text.strip().split("\\s+", TITLE_WORDS + 1);
    int n = Math.min(words.length, TITLE_WORDS);
    String title = String.join(" ", Arrays.asList(words).subList(0, n));
    return words.length > TITLE_WORDS ? title + " …" : title;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%s)", doc, uri);
  }
}
