package org.simheat.jobs.input;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tokens collected by id from a JSON vocabulary, turned into a list once the ids run 0…n−1. */
final class IdVocabulary {
  private static final String PREFIX = "Cannot read vocabulary: ";

  private final String uri;
  private final Map<Integer, String> byId = new HashMap<>();

  IdVocabulary(String uri) {
    this.uri = uri;
  }

  /**
   * Records a token; two different tokens may not share an id.
   *
   * @throws IllegalArgumentException if the id is negative, too large or already holds another
   *     token
   */
  void put(long id, String token) {
    String previous = byId.putIfAbsent(checked(id, token), token);
    if (previous != null && !previous.equals(token)) {
      throw error("'" + previous + "' and '" + token + "' both have id " + id);
    }
  }

  /**
   * Records a token that replaces whatever the id held.
   *
   * @throws IllegalArgumentException if the id is negative or too large
   */
  void override(long id, String token) {
    byId.put(checked(id, token), token);
  }

  /**
   * The tokens in id order.
   *
   * @throws IllegalArgumentException if there are none, or an id below the largest is missing
   */
  List<String> toList() {
    if (byId.isEmpty()) {
      throw error("the file holds no tokens");
    }
    int n = byId.size();
    List<String> tokens = new ArrayList<>(n);
    for (int id = 0; id < n; id++) {
      String token = byId.get(id);
      if (token == null) {
        throw error(
            "ids must run from 0 to "
                + (n - 1)
                + " without gaps, but id "
                + id
                + " is missing (largest id "
                + largestId()
                + ")");
      }
      tokens.add(token);
    }
    return tokens;
  }

  private int largestId() {
    return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
  }

  private int checked(long id, String token) {
    if (id < 0 || id >= Integer.MAX_VALUE) {
      throw error("token '" + token + "' has id " + id + ", expected 0 or more and below 2^31");
    }
    return (int) id;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(PREFIX + what + " (" + uri + ")");
  }
}
