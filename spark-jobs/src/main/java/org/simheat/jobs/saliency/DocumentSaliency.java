package org.simheat.jobs.saliency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;
import org.simheat.jobs.input.HadoopConf;

/**
 * Runs on an executor: tokenises one document with the run's vocabulary, computes its windowed
 * similarity heat and writes its tables and {@code document.json} to {@code <staging>/<doc>/}.
 * Texts of at least {@link ImportSpec#SPARSE_TOKENS} tokens use the sparse heat layout.
 */
final class DocumentSaliency implements Function<CorpusDocument, ComputedDocument> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<RunVocabulary> vocab;
  private final HadoopConf conf;
  private final String staging;
  private final Metric metric;
  private final int window;
  private final boolean causal;

  DocumentSaliency(
      Broadcast<RunVocabulary> vocab,
      HadoopConf conf,
      String staging,
      Metric metric,
      int window,
      boolean causal) {
    this.vocab = vocab;
    this.conf = conf;
    this.staging = staging;
    this.metric = metric;
    this.window = window;
    this.causal = causal;
  }

  @Override
  public ComputedDocument call(CorpusDocument d) {
    RunVocabulary v = vocab.value();
    List<TextPiece> pieces = v.tokenizer().tokenize(d.text());
    WindowHeat heat = WindowHeat.compute(pieces, v, metric, window, causal);
    SaliencyText text = new SaliencyText(List.of(tokens(pieces, v)));
    boolean sparse = pieces.size() >= ImportSpec.SPARSE_TOKENS;
    Path dir = new Path(staging, d.doc());
    try {
      int[] vocab = pieces.stream().mapToInt(TextPiece::position).toArray();
      long rows = SaliencyTables.write(conf.get(), dir, d.doc(), text, heat, vocab, sparse);
      writeDocument(dir, document(d, pieces.size(), heat.range(), sparse));
      return new ComputedDocument(d.doc(), pieces.size(), sparse, rows);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write saliency document " + d + ": " + e, e);
    }
  }

  /** The text's tokens with their meta (neighbours); heat comes separately. */
  private static List<SaliencyToken> tokens(List<TextPiece> pieces, RunVocabulary v) {
    List<SaliencyToken> tokens = new ArrayList<>(pieces.size());
    for (TextPiece p : pieces) {
      List<String> meta = p.known() ? v.meta(p.position()) : List.of();
      tokens.add(new SaliencyToken(p.text(), meta, null, p.format()));
    }
    return tokens;
  }

  private SaliencyDocument document(CorpusDocument d, int tokens, float[] range, boolean sparse) {
    String facet =
        String.format(
            Locale.ROOT, "%s, %s window %d", metric.id(), causal ? "causal" : "both-sides", window);
    return new SaliencyDocument(
        SaliencyDocument.FORMAT_VERSION,
        d.doc(),
        d.title(),
        List.of(facet),
        tokens,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        new SaliencyDocument.Source(SaliencyDocument.SIMILARITY, d.uri()),
        range == null ? null : new SaliencyDocument.HeatRange(range[0], range[1]),
        sparse ? SaliencyDocument.SPARSE : SaliencyDocument.DENSE);
  }

  private void writeDocument(Path dir, SaliencyDocument d) throws IOException {
    FileSystem fs = dir.getFileSystem(conf.get());
    try (FSDataOutputStream os = fs.create(new Path(dir, RunLayout.SALIENCY_DOCUMENT), false)) {
      os.write(d.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }
}
