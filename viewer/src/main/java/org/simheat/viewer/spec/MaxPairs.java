package org.simheat.viewer.spec;

/**
 * The pair attaining each bin's max, where the level a view is drawn from knows it (live levels):
 * row-major like the bins, position −1 where a bin has none. Tokens are null until labelled.
 *
 * @param rows row position of each bin's max pair
 * @param cols column position of each bin's max pair
 * @param rowTokens the token at each row position
 * @param colTokens the token at each column position
 */
public record MaxPairs(long[] rows, long[] cols, String[] rowTokens, String[] colTokens) {

  /** Unlabelled max pairs. */
  public static MaxPairs of(long[] rows, long[] cols) {
    return new MaxPairs(rows, cols, null, null);
  }

  /** These pairs with the tokens of their positions. */
  public MaxPairs withTokens(String[] rowTokens, String[] colTokens) {
    return new MaxPairs(rows, cols, rowTokens, colTokens);
  }

  /** Whether bin b has a max pair. */
  public boolean has(int b) {
    return rows[b] >= 0 && cols[b] >= 0;
  }

  /** "tokA × tokB" for bin b (labelled pairs only). */
  public String label(int b) {
    return rowTokens[b] + " × " + colTokens[b];
  }
}
