package org.simheat.jobs.saliency;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;

/** Writes textualheatmap JSON for tests, and reads a saliency document back with DuckDB. */
final class SaliencyFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SaliencyFiles() {}

  /** Writes facets as textualheatmap's JSON, leaving out what a token does not have. */
  static Path writeJson(Path file, SaliencyText text) throws IOException {
    List<List<Map<String, Object>>> facets = new ArrayList<>();
    for (List<SaliencyToken> facet : text.facets()) {
      List<Map<String, Object>> tokens = new ArrayList<>();
      for (SaliencyToken t : facet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", t.token());
        if (!t.meta().isEmpty()) {
          m.put("meta", t.meta());
        }
        if (t.hasHeat()) {
          m.put("heat", t.heat());
        }
        if (t.format()) {
          m.put("format", true);
        }
        tokens.add(m);
      }
      facets.add(tokens);
    }
    JSON.writeValue(file.toFile(), facets);
    return file;
  }

  /** The document.json of a document directory. */
  static SaliencyDocument document(Path dir) throws IOException {
    return SaliencyDocument.fromJson(Files.readString(dir.resolve(RunLayout.SALIENCY_DOCUMENT)));
  }

  /**
   * Reads a document's tables back as a text: heat from {@code tokens.heat} when dense, rebuilt
   * from the sparse {@code heat} table (zeros elsewhere) when sparse; {@code has_heat} says which
   * tokens have a row at all. Checks the doc column, and that positions run 0… in each facet.
   */
  static SaliencyText read(Path dir, String doc, boolean sparse) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      List<List<SaliencyToken>> facets = tokens(s, dir, doc);
      if (sparse) {
        fillSparseHeat(s, dir, doc, facets);
      }
      return new SaliencyText(facets);
    }
  }

  private static List<List<SaliencyToken>> tokens(Statement s, Path dir, String doc)
      throws SQLException {
    List<List<SaliencyToken>> facets = new ArrayList<>();
    String table = dir.resolve("tokens/*.parquet").toString();
    try (ResultSet r =
        s.executeQuery(
            "SELECT doc, facet, position, token, format, meta, heat, has_heat FROM read_parquet('"
                + table
                + "') ORDER BY facet, position")) {
      while (r.next()) {
        int f = r.getInt(2);
        if (f == facets.size()) {
          facets.add(new ArrayList<>());
        }
        List<SaliencyToken> facet = facets.get(f);
        if (!r.getString(1).equals(doc) || r.getInt(3) != facet.size()) {
          throw new AssertionError("row out of place: facet " + f + ", position " + r.getInt(3));
        }
        List<String> meta = new ArrayList<>();
        for (Object o : (Object[]) r.getArray(6).getArray()) {
          meta.add((String) o);
        }
        float[] heat = floats(r.getArray(7));
        boolean hasHeat = r.getBoolean(8);
        if (!hasHeat && heat.length > 0) {
          throw new AssertionError("heat without has_heat at " + f + ", " + facet.size());
        }
        facet.add(new SaliencyToken(r.getString(4), meta, hasHeat ? heat : null, r.getBoolean(5)));
      }
    }
    return facets;
  }

  private static void fillSparseHeat(
      Statement s, Path dir, String doc, List<List<SaliencyToken>> facets) throws SQLException {
    int n = facets.get(0).size();
    for (List<SaliencyToken> facet : facets) {
      for (int i = 0; i < n; i++) {
        SaliencyToken t = facet.get(i);
        if (t.hasHeat()) {
          if (t.heat().length != 0) {
            throw new AssertionError("a sparse document has inline heat at position " + i);
          }
          facet.set(i, new SaliencyToken(t.token(), t.meta(), new float[n], t.format()));
        }
      }
    }
    String table = dir.resolve("heat/*.parquet").toString();
    try (ResultSet r =
        s.executeQuery(
            "SELECT doc, facet, position, target, value FROM read_parquet('" + table + "')")) {
      while (r.next()) {
        SaliencyToken t = facets.get(r.getInt(2)).get(r.getInt(3));
        if (!r.getString(1).equals(doc) || !t.hasHeat() || r.getFloat(5) == 0f) {
          throw new AssertionError("unexpected heat row at " + r.getInt(2) + ", " + r.getInt(3));
        }
        t.heat()[r.getInt(4)] = r.getFloat(5);
      }
    }
  }

  /** The {@code vocab_position} column of facet {@code facet}, in position order. */
  static int[] vocabPositions(Path dir, int facet) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT vocab_position FROM read_parquet('"
                    + dir.resolve("tokens/*.parquet")
                    + "') WHERE facet = "
                    + facet
                    + " ORDER BY position")) {
      while (r.next()) {
        out.add(r.getInt(1));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Rows of the sparse heat table under a document directory. */
  static long heatRows(Path dir) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM read_parquet('" + dir.resolve("heat/*.parquet") + "')")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static float[] floats(Array a) throws SQLException {
    Object[] values = (Object[]) a.getArray();
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values[i]).floatValue();
    }
    return f;
  }

  /** Field-by-field equality of two texts, with a message naming the first difference. */
  static void assertSame(SaliencyText expected, SaliencyText actual) {
    if (expected.facets().size() != actual.facets().size()) {
      throw new AssertionError("facets: " + actual.facets().size());
    }
    for (int f = 0; f < expected.facets().size(); f++) {
      List<SaliencyToken> e = expected.facets().get(f);
      List<SaliencyToken> a = actual.facets().get(f);
      if (e.size() != a.size()) {
        throw new AssertionError("facet " + f + " has " + a.size() + " tokens");
      }
      for (int i = 0; i < e.size(); i++) {
        SaliencyToken x = e.get(i);
        SaliencyToken y = a.get(i);
        if (!x.token().equals(y.token())
            || !x.meta().equals(y.meta())
            || x.format() != y.format()
            || !Arrays.equals(x.heat(), y.heat())) {
          throw new AssertionError(
              "facet " + f + ", token " + i + ": " + show(x) + " vs " + show(y));
        }
      }
    }
  }

  private static String show(SaliencyToken t) {
    return t.token() + " " + t.meta() + " " + Arrays.toString(t.heat()) + " " + t.format();
  }
}
