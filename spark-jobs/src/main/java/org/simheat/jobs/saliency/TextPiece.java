package org.simheat.jobs.saliency;

import java.io.Serializable;

/**
 * One token of a tokenised text.
 *
 * @param text the token's characters as they appear in the text (so the pieces concatenate back to
 *     the text)
 * @param position the vocabulary position (the run's {@code embeddings.position}) whose vector the
 *     token takes, or -1 when it has none (an unknown word, a format token)
 * @param format whether the token is whitespace between words: shown, not focusable
 */
record TextPiece(String text, int position, boolean format) implements Serializable {
  /** Whether the token has a vector, and so a heat row. */
  boolean known() {
    return position >= 0;
  }
}
