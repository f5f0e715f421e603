package org.simheat.jobs.input;

import java.io.Serializable;

/**
 * Where an embedding matrix and its vocabulary come from.
 *
 * @param uri the matrix file (or directory, for Parquet)
 * @param format reader to use, or null to choose by file name
 * @param tensor tensor name inside the file, or null when only one fits
 * @param vocab vocabulary file, or null for the file's own tokens, a same-stem .txt beside a .pt,
 *     or else the row indices
 * @param tokenColumn Parquet token column, or null for {@code token}
 * @param vectorColumn Parquet vector column, or null for {@code vector}
 */
public record InputSpec(
    String uri, String format, String tensor, String vocab, String tokenColumn, String vectorColumn)
    implements Serializable {

  /** A matrix file with nothing else said. */
  public static InputSpec of(String uri) {
    return new InputSpec(uri, null, null, null, null, null);
  }

  /** The same input with the given vocabulary. */
  public InputSpec withVocab(String vocabUri) {
    return new InputSpec(uri, format, tensor, vocabUri, tokenColumn, vectorColumn);
  }
}
