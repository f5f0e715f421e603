package org.simheat.jobs.saliency;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text into tokens of a run's vocabulary; every character of the text lands in exactly one
 * token, so the tokens concatenate back to the text.
 *
 * <ul>
 *   <li>Runs of whitespace are one {@code format} token each.
 *   <li><b>BERT-style vocabularies</b> (with {@code [UNK]} or {@code ##} pieces): punctuation
 *       characters are words of their own, other characters run into words; each word is split by
 *       greedy longest match (WordPiece): the longest prefix in the vocabulary, then the longest
 *       {@code ##}-prefixed continuation, and so on. A word with no full split, or longer than 100
 *       characters, is one {@code [UNK]} token.
 *   <li><b>Other vocabularies</b>: {@code \w+} words and single other characters, looked up
 *       exactly; unknown words have no vector.
 * </ul>
 *
 * Words are lowercased (Locale.ROOT) before lookup when no vocabulary token outside brackets has an
 * upper-case letter. Cost: O(L·m) vocabulary lookups for a word of L characters whose longest piece
 * has m characters.
 */
final class TextTokenizer implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String UNK = "[UNK]";
  static final String CONTINUATION = "##";
  private static final int MAX_WORD = 100;
  private static final Pattern PLAIN =
      Pattern.compile("\\s+|\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern BERT = Pattern.compile("\\s+|\\p{P}|[^\\s\\p{P}]+");

  private final Map<String, Integer> vocabulary;
  private final boolean wordPiece;
  private final boolean uncased;

  /** A tokenizer for a vocabulary mapping each token to its position. */
  TextTokenizer(Map<String, Integer> vocabulary) {
    this.vocabulary = vocabulary;
    this.wordPiece = isWordPiece(vocabulary.keySet());
    this.uncased = isUncased(vocabulary.keySet());
  }

  /** Whether the vocabulary looks BERT-style: it has {@code [UNK]} or {@code ##} pieces. */
  static boolean isWordPiece(Iterable<String> tokens) {
    for (String t : tokens) {
      if (t.equals(UNK) || (t.startsWith(CONTINUATION) && t.length() > 2)) {
        return true;
      }
    }
    return false;
  }

  /** Whether no token outside {@code [brackets]} has an upper-case letter. */
  static boolean isUncased(Iterable<String> tokens) {
    for (String t : tokens) {
      if (!(t.startsWith("[") && t.endsWith("]")) && !t.equals(t.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  boolean wordPiece() {
    return wordPiece;
  }

  /** The tokens of a text, in order. */
  List<TextPiece> tokenize(String text) {
    List<TextPiece> pieces = new ArrayList<>();
    Matcher m = (wordPiece ? BERT : PLAIN).matcher(text);
    while (m.find()) {
      String word = m.group();
      if (Character.isWhitespace(word.codePointAt(0))) {
        pieces.add(new TextPiece(word, -1, true));
      } else if (wordPiece) {
        splitWord(word, pieces);
      } else {
        pieces.add(new TextPiece(word, position(key(word)), false));
      }
    }
    return pieces;
  }

  private String key(String word) {
    return uncased ? word.toLowerCase(Locale.ROOT) : word;
  }

  private int position(String token) {
    Integer p = vocabulary.get(token);
    return p == null ? -1 : p;
  }

  /** Greedy longest-match WordPiece of one word, or one [UNK] token for the whole word. */
  private void splitWord(String word, List<TextPiece> out) {
    String key = key(word);
    String surface = key.length() == word.length() ? word : key;
    List<TextPiece> pieces = new ArrayList<>();
    int start = 0;
    while (start < key.length() && key.length() <= MAX_WORD) {
      int end = key.length();
      int found = -1;
      while (end > start && found < 0) {
        String sub = key.substring(start, end);
        found = position(start == 0 ? sub : CONTINUATION + sub);
        end = found < 0 ? end - 1 : end;
      }
      if (found < 0) {
        break;
      }
      pieces.add(new TextPiece(surface.substring(start, end), found, false));
      start = end;
    }
    if (start == key.length()) {
      out.addAll(pieces);
    } else {
      out.add(new TextPiece(word, position(UNK), false));
    }
  }
}
