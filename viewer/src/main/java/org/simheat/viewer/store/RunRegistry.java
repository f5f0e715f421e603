package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed runs of a data directory: {@code runs/<id>/} directories with a readable {@code
 * manifest.json}, plus {@code LATEST}. Paths are built only from ids that pass {@link
 * RunLayout#isRunId}; nothing else from a request reaches the file system.
 *
 * <p>The listing is re-scanned when {@code runs/} changes (its modification time) and at least
 * every {@code rescanMillis}, so runs committed or deleted while the viewer is up appear or vanish
 * without a restart; a re-scan parses only manifests it has not seen. A run is refused, with a
 * message naming why, when its manifest is unreadable or inconsistent, or when its tables
 * contradict it on first open; other runs keep working. Thread-safe.
 */
public final class RunRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);
  private static final long MAX_MANIFEST_BYTES = 4L << 20;

  /** The name clients use for the newest run. */
  public static final String LATEST_ALIAS = "latest";

  private final Path dataDir;
  private final Path runsDir;
  private final FooterCache footers;
  private final BoundedCache<EmbeddingStore.GroupKey, VectorRows> groups;
  private final int tokenCache;
  private final long rescanNanos;
  private final Consumer<String> onRemoved;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, Opened> opened = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot;
  private volatile String warnedLatest;

  private record Entry(String id, FileTime modified, Manifest manifest, String refusal) {}

  private record Opened(FileTime modified, OpenRun run, String refusal) {}

  private record Snapshot(
      Map<String, Entry> entries, List<Manifest> newestFirst, FileTime runsModified, long at) {}

  /**
   * A registry over {@code dataDir}.
   *
   * @param footers the footer cache shared by every run's tables
   * @param tokenCache tokens each run keeps for position lookups
   * @param rescanMillis longest time between two scans of {@code runs/}
   * @param onRemoved told the id of every run that has gone, to drop what it cached
   */
  public RunRegistry(
      Path dataDir,
      FooterCache footers,
      int tokenCache,
      long rescanMillis,
      Consumer<String> onRemoved) {
    this(dataDir, footers, EmbeddingStore.newGroupCache(0), tokenCache, rescanMillis, onRemoved);
  }

  /**
   * A registry over {@code dataDir} whose runs keep decoded embedding row groups in {@code groups}.
   *
   * @param footers the footer cache shared by every run's tables
   * @param groups the decoded row groups shared by every run's embeddings
   * @param tokenCache tokens each run keeps for position lookups
   * @param rescanMillis longest time between two scans of {@code runs/}
   * @param onRemoved told the id of every run that has gone, to drop what it cached
   */
  public RunRegistry(
      Path dataDir,
      FooterCache footers,
      BoundedCache<EmbeddingStore.GroupKey, VectorRows> groups,
      int tokenCache,
      long rescanMillis,
      Consumer<String> onRemoved) {
    this.groups = groups;
    this.dataDir = dataDir;
    this.runsDir = dataDir.resolve(RunLayout.RUNS);
    this.footers = footers;
    this.tokenCache = tokenCache;
    this.rescanNanos = rescanMillis * 1_000_000L;
    this.onRemoved = onRemoved;
  }

  /**
   * The committed runs that have not been refused, newest first: neither for their manifest nor,
   * once opened, for tables that contradict it.
   */
  public List<Manifest> runs() {
    Snapshot s = current();
    return s.newestFirst().stream().filter(m -> !refusedOnOpen(s, m.runId())).toList();
  }

  /** Whether opening the run, as its listed manifest stands, found its tables contradict it. */
  private boolean refusedOnOpen(Snapshot s, String id) {
    Opened o = opened.get(id);
    Entry e = s.entries().get(id);
    return o != null && o.refusal() != null && e != null && o.modified().equals(e.modified());
  }

  /**
   * The id that {@code latest} means now: what {@code LATEST} names when that run is listed and not
   * refused, else the newest such run; null when there is none.
   */
  public String latestId() {
    Snapshot s = current();
    String named = readLatest();
    if (named != null) {
      s = withRun(s, named);
      Entry e = s.entries().get(named);
      if (e != null && e.refusal() == null && !refusedOnOpen(s, named)) {
        return named;
      }
      if (!named.equals(warnedLatest)) {
        warnedLatest = named;
        LOG.warn("LATEST names run {}, which is not servable; using the newest run", named);
      }
    }
    List<Manifest> servable = runs();
    return servable.isEmpty() ? null : servable.get(0).runId();
  }

  /**
   * Opens a run by id or {@code latest}; opening checks the run's tables once.
   *
   * @throws RunUnavailableException if the run is unknown, gone, or refused (the message says
   *     which)
   */
  public OpenRun open(String runOrLatest) {
    String id = resolveId(runOrLatest);
    Entry e = withRun(current(), id).entries().get(id);
    if (e == null || !Files.exists(manifestPath(id))) {
      throw new RunUnavailableException(
          seen.contains(id) ? "run " + id + " no longer exists" : "unknown run '" + id + "'");
    }
    if (e.refusal() != null) {
      throw new RunUnavailableException("run " + id + " cannot be served: " + e.refusal());
    }
    Opened o = opened.get(id);
    if (o == null || !o.modified().equals(e.modified())) {
      o = openChecked(e);
    }
    if (o.refusal() != null) {
      throw new RunUnavailableException(o.refusal());
    }
    return o.run();
  }

  /** Whether a run's manifest is still on disk (false for malformed ids). */
  public boolean exists(String runId) {
    return RunLayout.isRunId(runId) && Files.exists(manifestPath(runId));
  }

  private String resolveId(String runOrLatest) {
    if (LATEST_ALIAS.equals(runOrLatest)) {
      String id = latestId();
      if (id == null) {
        throw new RunUnavailableException("there is no committed run yet");
      }
      return id;
    }
    if (!RunLayout.isRunId(runOrLatest)) {
      throw new RunUnavailableException("unknown run '" + clip(runOrLatest) + "'");
    }
    return runOrLatest;
  }

  private synchronized Opened openChecked(Entry e) {
    Opened o = opened.get(e.id());
    if (o != null && o.modified().equals(e.modified())) {
      return o;
    }
    Path dir = runsDir.resolve(e.id());
    try {
      o =
          new Opened(
              e.modified(), OpenRun.open(e.manifest(), dir, footers, groups, tokenCache), null);
      LOG.info(
          "Opened run {} ({} × {}, d = {})",
          e.id(),
          e.manifest().n(),
          e.manifest().nCols(),
          e.manifest().dim());
    } catch (RunUnavailableException refused) {
      LOG.warn("Refusing run {}: {}", e.id(), refused.getMessage());
      o = new Opened(e.modified(), null, refused.getMessage());
    } catch (IOException | RuntimeException unreadable) {
      LOG.warn("Refusing run {}: its tables cannot be read", e.id(), unreadable);
      String why = "its tables cannot be read (" + failure(unreadable) + ")";
      o = new Opened(e.modified(), null, "run " + e.id() + " cannot be served: " + why);
    }
    opened.put(e.id(), o);
    return o;
  }

  /**
   * {@code s}, or a fresh scan when {@code s} lacks a run whose manifest is on disk. A commit
   * renames the run's directory into {@code runs/} (which changes its modification time) and only
   * then writes the manifest inside it (which does not), so a scan between the two misses the run
   * until the next timed rescan: meanwhile {@code LATEST} would name a run this registry does not
   * know, and the run's own id would be refused as unknown.
   */
  private Snapshot withRun(Snapshot s, String id) {
    if (s.entries().containsKey(id) || !Files.exists(manifestPath(id))) {
      return s;
    }
    return rescanFor(id);
  }

  /**
   * A scan that knows {@code id}: the current one if a concurrent scan found it, else a new one.
   */
  private synchronized Snapshot rescanFor(String id) {
    Snapshot s = snapshot;
    if (s != null && s.entries().containsKey(id)) {
      return s;
    }
    return rescan(modified(runsDir), true);
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    FileTime runsModified = modified(runsDir);
    if (s != null
        && equal(runsModified, s.runsModified())
        && System.nanoTime() - s.at() < rescanNanos) {
      return s;
    }
    return rescan(runsModified, false);
  }

  private synchronized Snapshot rescan(FileTime runsModified, boolean force) {
    Snapshot old = snapshot;
    if (old != null
        && !force
        && equal(runsModified, old.runsModified())
        && System.nanoTime() - old.at() < rescanNanos) {
      return old;
    }
    Map<String, Entry> entries = new HashMap<>();
    for (String id : listRunIds()) {
      Entry e = entry(id, old == null ? null : old.entries().get(id));
      if (e != null) {
        entries.put(id, e);
        seen.add(id);
      }
    }
    if (old != null) {
      old.entries().keySet().stream().filter(id -> !entries.containsKey(id)).forEach(this::forget);
    }
    Snapshot s =
        new Snapshot(Map.copyOf(entries), newestFirst(entries), runsModified, System.nanoTime());
    snapshot = s;
    return s;
  }

  private Entry entry(String id, Entry previous) {
    Path manifest = manifestPath(id);
    FileTime modified = modified(manifest);
    if (modified == null) {
      return null;
    }
    if (previous != null && previous.modified().equals(modified)) {
      return previous;
    }
    try {
      if (Files.size(manifest) > MAX_MANIFEST_BYTES) {
        return refused(
            id, modified, "its manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
      }
      Manifest m = Manifest.fromJson(Files.readString(manifest, StandardCharsets.UTF_8));
      String problem = ManifestCheck.problem(m, id);
      return problem == null ? new Entry(id, modified, m, null) : refused(id, modified, problem);
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      LOG.warn("Cannot read the manifest of run {}", id, e);
      return refused(id, modified, "its manifest is unreadable (" + failure(e) + ")");
    } catch (IllegalArgumentException e) {
      return refused(id, modified, "its manifest is unreadable (" + e.getMessage() + ")");
    }
  }

  /**
   * Why a run's files could not be read, in words fit for a client: never an exception's class name
   * or a path (the log has both).
   */
  static String failure(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "a file is missing";
    }
    if (e instanceof IOException) {
      return "an I/O error";
    }
    return "a file is corrupt or truncated";
  }

  private Entry refused(String id, FileTime modified, String why) {
    LOG.warn("Refusing run {}: {}", id, why);
    return new Entry(id, modified, null, why);
  }

  private void forget(String id) {
    LOG.info("Run {} has gone", id);
    opened.remove(id);
    Path dir = runsDir.resolve(id);
    footers.forget(dir);
    groups.removeIf(k -> k.file().startsWith(dir));
    onRemoved.accept(id);
  }

  private List<String> listRunIds() {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(runsDir)) {
      return ids;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(runsDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (RunLayout.isRunId(name) && Files.isDirectory(p)) {
          ids.add(name);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list runs in {}: {}", runsDir, e.toString());
    }
    return ids;
  }

  private static List<Manifest> newestFirst(Map<String, Entry> entries) {
    return entries.values().stream()
        .filter(e -> e.refusal() == null)
        .map(Entry::manifest)
        .sorted(
            Comparator.comparing((Manifest m) -> createdAt(m))
                .thenComparing(Manifest::runId)
                .reversed())
        .toList();
  }

  private static Instant createdAt(Manifest m) {
    try {
      return m.createdAt() == null ? Instant.EPOCH : Instant.parse(m.createdAt());
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private String readLatest() {
    try {
      Path latest = dataDir.resolve(RunLayout.LATEST);
      if (Files.size(latest) > 256) {
        return null;
      }
      String id = Files.readString(latest, StandardCharsets.UTF_8).trim();
      return RunLayout.isRunId(id) ? id : null;
    } catch (IOException e) {
      return null;
    }
  }

  private Path manifestPath(String id) {
    return runsDir.resolve(id).resolve(RunLayout.MANIFEST);
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean equal(FileTime a, FileTime b) {
    return a == null ? b == null : a.equals(b);
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
