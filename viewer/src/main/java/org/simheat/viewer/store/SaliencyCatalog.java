package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saliency documents of a data directory: {@code saliency/<doc>/} beside the runs and {@code
 * runs/<run>/saliency/<doc>/} inside committed runs, each present only once its {@code
 * document.json} exists. Every listing looks at the directories again, so documents imported while
 * the viewer runs appear without a restart; an opened document is reused until its {@code
 * document.json} changes (a {@code --force} import writes a new {@code createdAt}), which opens it
 * afresh with its own footer cache.
 *
 * <p>A document is addressed by its key: {@code <doc>} beside the runs, {@code <run>~<doc>} inside
 * a run. Keys are only ever looked up in a listing, never turned into paths.
 */
public final class SaliencyCatalog {
  /** Separates a run id from a document id in a key. */
  public static final char RUN_SEPARATOR = '~';

  private static final Logger LOG = LoggerFactory.getLogger(SaliencyCatalog.class);

  private final Path dataDir;
  private final Map<String, OpenSaliency> open = new ConcurrentHashMap<>();

  /**
   * One listed document.
   *
   * @param key how the API addresses it
   * @param run the run it belongs to, or null
   * @param dir its directory
   * @param document its {@code document.json}
   */
  public record Entry(String key, String run, Path dir, SaliencyDocument document) {}

  /** A catalog over {@code dataDir}, or over nothing when it is null. */
  public SaliencyCatalog(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Every readable document: those beside the runs by id, then those inside runs, newest run first;
   * unreadable ones are logged and left out.
   */
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    if (dataDir == null) {
      return out;
    }
    collect(dataDir.resolve(RunLayout.SALIENCY), null, out);
    for (String run : committedRuns()) {
      collect(dataDir.resolve(RunLayout.runDir(run)).resolve(RunLayout.SALIENCY), run, out);
    }
    out.sort(
        Comparator.comparing(Entry::run, Comparator.nullsFirst(Comparator.<String>reverseOrder()))
            .thenComparing(e -> e.document().doc()));
    return out;
  }

  /**
   * The document with this key, or null: the one {@link #list()} would give, found without listing
   * (a page asks for a heat row on every focus). The key's parts must be a well-formed run id and
   * document id, so they name directories safely; a run must be committed.
   */
  public Entry find(String key) {
    if (dataDir == null) {
      return null;
    }
    int at = key.indexOf(RUN_SEPARATOR);
    String run = at < 0 ? null : key.substring(0, at);
    String id = key.substring(at + 1);
    if (!RunLayout.isDocId(id) || (run != null && !RunLayout.isRunId(run))) {
      return null;
    }
    Path base = run == null ? dataDir : dataDir.resolve(RunLayout.runDir(run));
    if (run != null && !Files.isRegularFile(base.resolve(RunLayout.MANIFEST))) {
      return null;
    }
    Path dir = base.resolve(RunLayout.SALIENCY).resolve(id);
    Path json = dir.resolve(RunLayout.SALIENCY_DOCUMENT);
    SaliencyDocument d = Files.isRegularFile(json) ? read(json, id) : null;
    return d == null ? null : new Entry(key, run, dir, d);
  }

  /** The tables of a listed document, opened once per version of its {@code document.json}. */
  public OpenSaliency open(Entry entry) {
    return open.compute(
        entry.key(),
        (k, old) ->
            old != null && old.document().equals(entry.document())
                ? old
                : new OpenSaliency(entry.dir(), entry.document()));
  }

  private List<String> committedRuns() {
    List<String> runs = new ArrayList<>();
    for (Path p : children(dataDir.resolve(RunLayout.RUNS))) {
      String id = p.getFileName().toString();
      if (RunLayout.isRunId(id) && Files.isRegularFile(p.resolve(RunLayout.MANIFEST))) {
        runs.add(id);
      }
    }
    return runs;
  }

  private static void collect(Path saliencyDir, String run, List<Entry> out) {
    for (Path dir : children(saliencyDir)) {
      String id = dir.getFileName().toString();
      Path json = dir.resolve(RunLayout.SALIENCY_DOCUMENT);
      if (!RunLayout.isDocId(id) || !Files.isRegularFile(json)) {
        continue;
      }
      SaliencyDocument d = read(json, id);
      if (d != null) {
        out.add(new Entry(run == null ? id : run + RUN_SEPARATOR + id, run, dir, d));
      }
    }
  }

  /** The document, or null (logged) when it is unreadable or does not describe its directory. */
  private static SaliencyDocument read(Path json, String id) {
    try {
      SaliencyDocument d =
          SaliencyDocument.fromJson(Files.readString(json, StandardCharsets.UTF_8));
      if (!id.equals(d.doc()) || d.facets() == null || d.facets().isEmpty() || d.tokens() < 0) {
        LOG.warn("Skipping saliency document {}: its document.json does not describe it", id);
        return null;
      }
      return d;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Skipping saliency document {}: {}", id, e.getMessage());
      return null;
    }
  }

  private static List<Path> children(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      LOG.warn("Cannot list {}: {}", dir.getFileName(), e.getMessage());
    }
    return out;
  }
}
