/**
 * Text saliency documents: a text as flowing tokens, in one or more facets, where each token has a
 * heat row over the text's positions. {@link org.simheat.jobs.saliency.TextualHeatmapReader} reads
 * textualheatmap's JSON format exactly (a list of facets, each a list of {@code {token, meta, heat,
 * format}} objects) and reports bad input in one line naming the file, the facet and the token;
 * {@link org.simheat.jobs.saliency.SaliencyTables} writes the documented Parquet layout (heat rows
 * inline, or non-zero values in a sparse table for long texts); {@link
 * org.simheat.jobs.saliency.SaliencyImport} stages a document and moves it into place atomically,
 * with {@code document.json} inside it; the import is plain Java and parquet-java. {@link
 * org.simheat.jobs.saliency.SaliencyCompute} is the Spark job that computes similarity saliency of
 * a corpus with a run's vocabulary ({@link org.simheat.jobs.saliency.TextTokenizer}, {@link
 * org.simheat.jobs.saliency.WindowHeat}) into the same layout, committing all documents of a call
 * together ({@link org.simheat.jobs.saliency.DocumentsCommit}).
 */
package org.simheat.jobs.saliency;
