package org.simheat.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver-side rules of {@link ReferenceOrder}: matching by occurrence, and the layouts. */
class ReferenceOrderTest {
  @Test
  void theKthOccurrenceOfATokenTakesItsKthPosition() {
    String[] ref = {"a", "b", "a", "c", "b", "d"};
    List<String> rows = List.of("b", "x", "a", "b", "b", "a", "a", "c");
    assertThat(ReferenceOrder.match(ref, rows, rows.size()))
        .containsExactly(1, -1, 0, 4, -1, 2, -1, 3);
  }

  @Test
  void withoutTokensRowsMatchByTheirNumber() {
    String[] ref = {"2", "0", "1", "3"};
    assertThat(ReferenceOrder.match(ref, null, 3)).containsExactly(1, 2, 0);
  }

  @Test
  void inInputOrderMatchedRowsComeByPositionWithoutGapsThenTheOthersInRowOrder() {
    int[] refPos = {4, -1, 0, -1, 2};
    assertThat(ReferenceOrder.inputOrder(refPos, 6)).containsExactly(2, 4, 0, 1, 3);
  }

  @Test
  void insideALeafMatchedRowsKeepTheirOrderThenTheOthersByCosine() {
    int[] leaf = {1, 0, 1, 0, 1, 1};
    int[] refPos = {7, -1, 3, 2, -1, -1};
    double[] cos = {0, 0.5, 0, 0, 0.2, 0.9};
    assertThat(ClusterOrder.rowsByPosition(leaf, refPos, cos)).containsExactly(3, 1, 2, 0, 5, 4);
    double[] tie = new double[6];
    Arrays.fill(tie, 0.3);
    assertThat(ClusterOrder.rowsByPosition(leaf, refPos, tie)).containsExactly(3, 1, 2, 0, 4, 5);
  }
}
