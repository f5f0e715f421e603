package org.simheat.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The {@code document.json} of a saliency document ({@code saliency/<doc>/}): what its tables hold.
 * It is written last; a document directory without it does not exist.
 *
 * @param formatVersion layout version, {@link #FORMAT_VERSION} for this code
 * @param doc the document's id, also its directory name and the tables' {@code doc} column
 * @param title the document's title
 * @param facets the facets' titles, in facet order (facet i is the tables' {@code facet = i})
 * @param tokens tokens per facet (every facet has the same count)
 * @param createdAt ISO-8601 UTC time the document was written
 * @param source where the data came from: {@code kind} ({@link #IMPORT}) and {@code uri}
 * @param heat the range of every stored heat value over all facets, null when no token has heat
 * @param heatLayout {@link #DENSE} (heat rows in {@code tokens.heat}) or {@link #SPARSE} (non-zero
 *     values in {@code heat/}, {@code tokens.heat} empty)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SaliencyDocument(
    int formatVersion,
    String doc,
    String title,
    List<String> facets,
    int tokens,
    String createdAt,
    Source source,
    HeatRange heat,
    String heatLayout) {

  /** The layout version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** {@link #heatLayout()}: heat rows inline in the tokens table. */
  public static final String DENSE = "dense";

  /** {@link #heatLayout()}: non-zero heat values in the {@code heat} table. */
  public static final String SPARSE = "sparse";

  /** {@link Source#kind()} of a document imported from textualheatmap's JSON. */
  public static final String IMPORT = "textualheatmap-json";

  /** {@link Source#kind()} of a document computed by {@code simheat saliency compute}. */
  public static final String SIMILARITY = "similarity";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Where a document's data came from.
   *
   * @param kind {@link #IMPORT} for an import, {@link #SIMILARITY} for a computed document
   * @param uri the file it was read from (for a computed document: the corpus, with {@code #line}
   *     for a line of a file)
   */
  public record Source(String kind, String uri) {}

  /**
   * The smallest and largest heat value stored.
   *
   * @param min smallest value
   * @param max largest value
   */
  public record HeatRange(float min, float max) {}

  /** Whether heat lives in the sparse {@code heat} table. */
  public boolean sparse() {
    return SPARSE.equals(heatLayout);
  }

  /** Serialises this document as indented JSON. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise saliency document " + doc, e);
    }
  }

  /**
   * Parses a {@code document.json}.
   *
   * @throws IllegalArgumentException if the JSON is malformed or of another format version
   */
  public static SaliencyDocument fromJson(String json) {
    SaliencyDocument d;
    try {
      d = MAPPER.readValue(json, SaliencyDocument.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read saliency document: " + e.getOriginalMessage(), e);
    }
    if (d.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Cannot read saliency document "
              + d.doc()
              + ": format version "
              + d.formatVersion()
              + ", this simheat reads "
              + FORMAT_VERSION);
    }
    return d;
  }
}
