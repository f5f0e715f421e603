package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.NeighborList;
import org.simheat.viewer.service.ViewerService.TokenHit;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;

/** Token search and neighbour lists of the fixture run against input.txt and brute force. */
class RunServiceSearchTest {
  private static final String RUN = Fixture.RUN_ID;

  private static RunService service;
  private static NaiveSimilarity naive;

  @BeforeAll
  static void open() throws IOException {
    service = new RunService(Fixture.dataDir());
    naive = NaiveSimilarity.fixture();
  }

  @Test
  void prefixMatchesComeFirstThenSubstringsEachByPosition() {
    List<TokenHit> hits = service.tokens(RUN, "42", 100, Axis.ROWS);
    assertThat(hits).isEqualTo(expected("42", 100));
    assertThat(hits.get(0)).isEqualTo(new TokenHit("42", 21, 21));
    assertThat(hits.get(1).token()).isEqualTo("tok42");
    assertThat(hits).extracting(TokenHit::token).contains("tok142", "tok420", "tok542");
  }

  @Test
  void searchIsCaseInsensitiveAndListsDuplicatesWithTheirPositions() {
    List<TokenHit> hits = service.tokens(RUN, "TOK8", 5, Axis.ROWS);
    assertThat(hits)
        .containsExactly(
            new TokenHit("tok8", 7, 7),
            new TokenHit("tok8", 8, 8),
            new TokenHit("tok80", 80, 80),
            new TokenHit("tok81", 81, 81),
            new TokenHit("tok82", 82, 82));
  }

  @Test
  void nonAsciiNumericAndLastTokensAreFound() {
    assertThat(service.tokens(RUN, "東京", 20, Axis.ROWS))
        .containsExactly(new TokenHit("naïve東京", 9, 9));
    assertThat(service.tokens(RUN, "NAÏVE", 20, Axis.COLS))
        .containsExactly(new TokenHit("naïve東京", 9, 9));
    assertThat(service.tokens(RUN, "1999", 20, Axis.ROWS))
        .containsExactly(new TokenHit("1999", 20, 20));
    assertThat(service.tokens(RUN, "the-last", 20, Axis.ROWS))
        .containsExactly(new TokenHit("the-last", 599, 599));
    assertThat(service.tokens(RUN, "-LAST", 20, Axis.ROWS))
        .extracting(TokenHit::position)
        .containsExactly(599L);
  }

  @Test
  void theLimitIsCappedAndDefaulted() {
    assertThat(service.tokens(RUN, "tok", 1000, Axis.ROWS))
        .hasSize(100)
        .isEqualTo(expected("tok", 100));
    assertThat(service.tokens(RUN, "tok", 0, Axis.ROWS)).hasSize(20);
    assertThat(service.tokens(RUN, "o", 3, Axis.ROWS)).isEqualTo(expected("o", 3));
  }

  @Test
  void badSearchesAreRefused() {
    assertThatThrownBy(() -> service.tokens(RUN, "", 20, Axis.ROWS))
        .isInstanceOf(ApiException.class)
        .hasMessage("q must not be empty")
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(400);
    assertThatThrownBy(() -> service.tokens(RUN, "tok", -1, Axis.ROWS))
        .hasMessage("limit must be ≥ 1, got -1");
    assertThatThrownBy(() -> service.tokens(RUN, "x".repeat(201), 20, Axis.ROWS))
        .hasMessage("q must be at most 200 characters, got 201");
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void neighboursAreTheStoredTopKWithTheirTrueScores(Metric metric) {
    for (int p : new int[] {0, 7, 9, 10, 21, 300, 599}) {
      NeighborList list = service.neighbors(RUN, metric.id(), p, 10);
      assertThat(list.position()).isEqualTo(p);
      assertThat(list.token()).isEqualTo(naive.token(p));
      assertThat(list.metric()).isEqualTo(metric.id());
      assertThat(list.neighbors()).hasSize(10);
      double[] row = naive.matrix(metric)[p];
      double[] best = naive.bestScores(metric, p);
      double tol = NaiveSimilarity.tolerance(metric);
      for (int e = 0; e < 10; e++) {
        ViewerService.Neighbor nb = list.neighbors().get(e);
        assertThat(nb.position()).isNotEqualTo(p);
        assertThat(nb.token()).isEqualTo(naive.token((int) nb.position()));
        assertThat((double) nb.score()).isCloseTo(row[(int) nb.position()], within(tol));
        assertThat((double) nb.score()).isCloseTo(best[e], within(tol));
      }
    }
  }

  @Test
  void theBestNeighbourOfADuplicatedRowIsItsTwin() {
    assertThat(service.neighbors(RUN, "l2", 10, 1).neighbors().get(0).position()).isEqualTo(599);
    assertThat(service.neighbors(RUN, "cosine", 599, 1).neighbors().get(0).position())
        .isEqualTo(10);
    assertThat(service.neighbors(RUN, "dot", 10, 3).neighbors()).hasSize(3);
    assertThat(service.neighbors(RUN, "dot", 10, 50).neighbors()).hasSize(10);
    assertThat(service.neighbors(RUN, "dot", 10, 0).neighbors()).hasSize(10);
  }

  @Test
  void badNeighbourRequestsAreRefused() {
    assertThatThrownBy(() -> service.neighbors(RUN, "cosine", 600, 5))
        .isInstanceOf(ApiException.class)
        .hasMessage("position 600 is out of range: run " + RUN + " has positions 0..599")
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(404);
    assertThatThrownBy(() -> service.neighbors(RUN, "cosine", -1, 5))
        .hasMessage("position must be ≥ 0, got -1");
    assertThatThrownBy(() -> service.neighbors(RUN, "cosine", 1, -2))
        .hasMessage("k must be ≥ 1, got -2");
    assertThatThrownBy(() -> service.neighbors(RUN, "euclid", 1, 5))
        .hasMessage("unknown metric 'euclid': run " + RUN + " has cosine, dot, l2");
  }

  private static List<TokenHit> expected(String q, int limit) {
    return naive.search(q, limit);
  }
}
