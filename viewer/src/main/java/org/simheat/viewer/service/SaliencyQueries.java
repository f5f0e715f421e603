package org.simheat.viewer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.simheat.format.SaliencyDocument;
import org.simheat.format.SaliencyDocument.HeatRange;
import org.simheat.format.SaliencyDocument.Source;
import org.simheat.viewer.spec.SaliencySpecBuilder;
import org.simheat.viewer.store.OpenSaliency;
import org.simheat.viewer.store.SaliencyCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saliency API as plain Java: the documents of a data directory, a window of a document's
 * tokens and one token's heat row. Every answer is bounded: a window holds at most {@link
 * #MAX_WINDOW} positions of every facet and never heat, a heat row at most one value per position,
 * so a 20,000-token document is served piece by piece and its O(N²) heat never leaves the server.
 *
 * <p>Throws {@link ApiException}: 400 for a malformed key, facet, position or window, 404 for a
 * document the listing does not hold or a facet or position beyond it.
 */
public final class SaliencyQueries {
  /** Most positions one window may span. */
  public static final int MAX_WINDOW = 2000;

  /** Positions a Vega-Lite view shows by default: this many before the focus and after it. */
  public static final int SPEC_REACH = 200;

  /** Most positions a Vega-Lite view may show. */
  public static final int MAX_SPEC_WINDOW = 1000;

  /** Most documents one occurrences answer lists. */
  public static final int MAX_OCCURRENCES = 50;

  private static final Logger LOG = LoggerFactory.getLogger(SaliencyQueries.class);
  private static final Pattern KEY =
      Pattern.compile("(\\d{8}T\\d{6}Z-[0-9a-f]{8,64}~)?[a-z0-9][a-z0-9-]{0,63}");

  private final SaliencyCatalog catalog;

  /**
   * One document of the listing.
   *
   * @param id the key the API addresses it by: {@code <doc>}, or {@code <run>~<doc>} inside a run
   * @param run the run it belongs to, or null
   */
  public record Summary(
      String id,
      String doc,
      String run,
      String title,
      List<String> facets,
      int tokens,
      HeatRange heat,
      String heatLayout,
      String createdAt) {}

  /**
   * A document with the tokens of positions [from, to) of every facet.
   *
   * @param text one list of tokens per facet, position {@code from} first
   */
  public record DocumentWindow(
      String id,
      String doc,
      String run,
      String title,
      List<String> facets,
      int tokens,
      HeatRange heat,
      String heatLayout,
      String createdAt,
      Source source,
      int from,
      int to,
      List<List<TokenView>> text) {}

  /**
   * A token as the page shows it; {@code format}, {@code meta} and {@code hasHeat} are left out at
   * their defaults (false, empty, true), as textualheatmap leaves them out, and {@code
   * vocabPosition} (the token's position in its run's heatmap) when it has none.
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record TokenView(
      String token,
      boolean format,
      List<String> meta,
      Boolean noHeat,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer vocabPosition) {
    static TokenView of(OpenSaliency.Token t) {
      return new TokenView(
          t.token(),
          t.format(),
          t.meta().isEmpty() ? null : t.meta(),
          t.hasHeat() ? null : true,
          t.vocabPosition() >= 0 ? t.vocabPosition() : null);
    }
  }

  /**
   * The documents of a run holding one of its vocabulary positions.
   *
   * @param searched the run's documents looked in
   * @param found how many of them hold the position (may exceed the listed ones)
   * @param documents at most {@link #MAX_OCCURRENCES} of them, in listing order
   */
  public record OccurrencesView(
      String run, int position, int searched, int found, List<Occurrence> documents) {}

  /**
   * One document holding a vocabulary position.
   *
   * @param first the first text position (facet 0) of the token, to focus
   * @param count how many text positions hold it
   */
  public record Occurrence(String id, String doc, String title, int first, int count) {}

  /**
   * One token's heat row.
   *
   * @param layout {@code dense}: {@code values[j]} is the heat of position j; {@code sparse}:
   *     {@code values[k]} is the heat of position {@code targets[k]}, every other position is 0
   * @param hasHeat false when the token has no heat row (both arrays empty)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HeatRowView(
      String id,
      int facet,
      int position,
      int tokens,
      String layout,
      boolean hasHeat,
      int[] targets,
      float[] values) {}

  /** Queries over the documents of {@code dataDir} (none when it is null). */
  public SaliencyQueries(Path dataDir) {
    this.catalog = new SaliencyCatalog(dataDir);
  }

  /** Every document, by id. */
  public List<Summary> documents() {
    List<Summary> out = new ArrayList<>();
    for (SaliencyCatalog.Entry e : catalog.list()) {
      SaliencyDocument d = e.document();
      out.add(
          new Summary(
              e.key(),
              d.doc(),
              e.run(),
              d.title(),
              d.facets(),
              d.tokens(),
              d.heat(),
              d.heatLayout(),
              d.createdAt()));
    }
    return out;
  }

  /**
   * A document and the tokens of positions [from, to) of every facet; {@code to} beyond the text
   * ends at its last token.
   *
   * @throws ApiException 400 for a bad window (from &gt; tokens, to &lt; from, more than {@link
   *     #MAX_WINDOW} positions), 404 for an unknown document
   */
  public DocumentWindow document(String id, int from, int to) {
    SaliencyCatalog.Entry e = entry(id);
    SaliencyDocument d = e.document();
    int end = Math.min(to, d.tokens());
    if (from > d.tokens() || to < from || end - from > MAX_WINDOW) {
      throw ApiException.badRequest(
          "Bad window ["
              + from
              + ", "
              + to
              + ") of document "
              + id
              + " with "
              + d.tokens()
              + " tokens: need from <= tokens, from <= to and at most "
              + MAX_WINDOW
              + " positions");
    }
    List<List<OpenSaliency.Token>> window = read(id, () -> catalog.open(e).window(from, end));
    List<List<TokenView>> text = new ArrayList<>(window.size());
    for (List<OpenSaliency.Token> facet : window) {
      text.add(facet.stream().map(TokenView::of).toList());
    }
    return new DocumentWindow(
        id,
        d.doc(),
        e.run(),
        d.title(),
        d.facets(),
        d.tokens(),
        d.heat(),
        d.heatLayout(),
        d.createdAt(),
        d.source(),
        from,
        end,
        text);
  }

  /**
   * The heat row of one token.
   *
   * @throws ApiException 404 for an unknown document, a facet or a position beyond it
   */
  public HeatRowView heatRow(String id, int facet, int position) {
    SaliencyCatalog.Entry e = entry(id);
    SaliencyDocument d = e.document();
    if (facet >= d.facets().size()) {
      throw ApiException.notFound(
          "Document " + id + " has no facet " + facet + ": it has " + d.facets().size());
    }
    if (position >= d.tokens()) {
      throw ApiException.notFound(
          "Document " + id + " has no position " + position + ": it has " + d.tokens() + " tokens");
    }
    OpenSaliency.HeatRow row = read(id, () -> catalog.open(e).heatRow(facet, position));
    return new HeatRowView(
        id,
        facet,
        position,
        d.tokens(),
        d.heatLayout(),
        row.hasHeat(),
        row.targets(),
        row.values());
  }

  /**
   * A Vega-Lite view of positions [from, to) of a document, coloured by the heat rows of {@code
   * focus} (-1: uncoloured); a null {@code from} means {@link #SPEC_REACH} positions before the
   * focus, a null {@code to} as many after it.
   *
   * @throws ApiException 400 for a bad window or width, 404 for an unknown document or a focus
   *     beyond it
   */
  public ObjectNode spec(String id, int focus, Integer from, Integer to, int width) {
    SaliencyCatalog.Entry e = entry(id);
    SaliencyDocument d = e.document();
    if (focus >= d.tokens()) {
      throw ApiException.notFound(
          "Document " + id + " has no position " + focus + ": it has " + d.tokens() + " tokens");
    }
    if (width < 100 || width > 4000) {
      throw ApiException.badRequest("Bad width " + width + ": choose 100 to 4000 pixels");
    }
    int start = from != null ? from : Math.max(0, focus - SPEC_REACH);
    int end = to != null ? to : Math.min(d.tokens(), Math.max(focus, start) + SPEC_REACH + 1);
    if (end - start > MAX_SPEC_WINDOW) {
      throw ApiException.badRequest(
          "Bad window ["
              + start
              + ", "
              + end
              + "): a view shows at most "
              + MAX_SPEC_WINDOW
              + " positions");
    }
    DocumentWindow w = document(id, start, end);
    List<SaliencySpecBuilder.Facet> facets = new ArrayList<>();
    for (int f = 0; f < d.facets().size(); f++) {
      facets.add(specFacet(id, d, f, focus, w));
    }
    HeatRange range = d.heat() != null ? d.heat() : new HeatRange(0, 1);
    double clip = Math.max(Math.abs(range.min()), Math.abs(range.max()));
    return SaliencySpecBuilder.build(
        d.title(), facets, w.from(), focus, clip > 0 ? clip : 1, range.min() < 0, width);
  }

  private SaliencySpecBuilder.Facet specFacet(
      String id, SaliencyDocument d, int f, int focus, DocumentWindow w) {
    List<TokenView> tokens = w.text().get(f);
    boolean[] format = new boolean[tokens.size()];
    float[] heat = new float[tokens.size()];
    Arrays.fill(heat, Float.NaN);
    for (int i = 0; i < format.length; i++) {
      format[i] = tokens.get(i).format();
    }
    if (focus >= 0) {
      HeatRowView row = heatRow(id, f, focus);
      if (row.hasHeat()) {
        Arrays.fill(heat, 0f);
        for (int k = 0; k < row.values().length; k++) {
          int j = row.targets() == null ? k : row.targets()[k];
          if (j >= w.from() && j < w.to()) {
            heat[j - w.from()] = row.values()[k];
          }
        }
      }
    }
    return new SaliencySpecBuilder.Facet(
        d.facets().get(f), tokens.stream().map(TokenView::token).toList(), format, heat);
  }

  /**
   * The documents inside run {@code run} (an id) whose facet 0 holds vocabulary position {@code
   * position}, each with its first occurrence; each document costs a scan of its tokens' two int
   * columns.
   */
  public OccurrencesView occurrences(String run, int position) {
    int searched = 0;
    int found = 0;
    List<Occurrence> out = new ArrayList<>();
    for (SaliencyCatalog.Entry e : catalog.list()) {
      if (!run.equals(e.run())) {
        continue;
      }
      searched++;
      OpenSaliency.Occurrences o = read(e.key(), () -> catalog.open(e).occurrences(position));
      if (o.count() > 0) {
        found++;
        if (out.size() < MAX_OCCURRENCES) {
          SaliencyDocument d = e.document();
          out.add(new Occurrence(e.key(), d.doc(), d.title(), o.first(), o.count()));
        }
      }
    }
    return new OccurrencesView(run, position, searched, found, out);
  }

  /**
   * The listed document with this id.
   *
   * @throws ApiException 400 for a malformed id, 404 for one the listing does not hold
   */
  private SaliencyCatalog.Entry entry(String id) {
    if (id == null || !KEY.matcher(id).matches()) {
      throw ApiException.badRequest(
          "Bad saliency document id: expected <doc> or <run>~<doc> (doc: 1-64 of a-z, 0-9, -)");
    }
    SaliencyCatalog.Entry e = catalog.find(id);
    if (e == null) {
      throw ApiException.notFound("No saliency document " + id);
    }
    return e;
  }

  /** A blocking read of a document's tables. */
  @FunctionalInterface
  private interface Read<T> {
    T get() throws IOException;
  }

  private static <T> T read(String id, Read<T> read) {
    try {
      return read.get();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read saliency document {}", id, e);
      throw new ApiException(500, "Cannot read saliency document " + id);
    }
  }
}
