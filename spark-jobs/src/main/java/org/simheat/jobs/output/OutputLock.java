package org.simheat.jobs.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.simheat.format.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that lets one compute at a time write to an output directory: the file {@code
 * OUT/_lock}, created only if absent, holding one JSON line that says who holds it.
 *
 * <p>Creation is atomic: on a local disk the complete file is hard-linked into place ({@code
 * link(2)} fails when the name exists); on HDFS {@code create(path, false)} is decided by the
 * NameNode. (Hadoop's own local {@code create(path, false)} checks and then opens, which two
 * processes can both pass, hence the link.) Object stores give no such guarantee: do not run two
 * computes into one s3a output at once.
 *
 * <p>While held, a daemon thread touches the file every {@value #HEARTBEAT_SECONDS} s. A lock is
 * stale, and is replaced with a warning, when its holder ran on this host and that process is gone,
 * or when it was last touched more than {@code -Dsimheat.lockStaleSeconds} (default {@value
 * #DEFAULT_STALE_SECONDS}) seconds ago: its holder was killed or lost. Replacing renames the stale
 * file to a unique name first, so of two processes that found the same stale lock only one removes
 * it; the other then finds the winner's fresh lock.
 */
public final class OutputLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Seconds between two touches of a held lock. */
  public static final long HEARTBEAT_SECONDS = 10;

  /** Seconds after its last touch when a lock is stale, unless the system property says more. */
  public static final long DEFAULT_STALE_SECONDS = 120;

  /** The system property that sets the stale age in seconds. */
  public static final String STALE_SECONDS_PROPERTY = "simheat.lockStaleSeconds";

  private static final int ATTEMPTS = 5;

  private final FileSystem fs;
  private final Path out;
  private final Path lock;
  private final Holder holder;
  private final boolean createdOut;
  private final ScheduledExecutorService heartbeat;

  /**
   * Who holds a lock: the lock file's content.
   *
   * @param host the holder's host name
   * @param pid its process id
   * @param runId the run it writes, when known
   * @param startedAt when it took the lock (ISO-8601, UTC)
   * @param command the command that holds it, e.g. {@code compute}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Holder(String host, long pid, String runId, String startedAt, String command) {
    /** This process, starting now. */
    static Holder current(String command) {
      return new Holder(
          localHost(), ProcessHandle.current().pid(), null, Instant.now().toString(), command);
    }
  }

  private OutputLock(
      FileSystem fs, Path out, Path lock, Holder holder, boolean createdOut, long heartbeatMillis) {
    this.fs = fs;
    this.out = out;
    this.lock = lock;
    this.holder = holder;
    this.createdOut = createdOut;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simheat-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleWithFixedDelay(
        this::touch, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lock of an output directory, creating the directory if needed, and replacing a stale
   * lock.
   *
   * @param out the output directory
   * @param command the command taking it, written into the lock
   * @throws OutputBusyException if another live compute holds it
   * @throws IllegalArgumentException if the output is a file or cannot be created
   */
  public static OutputLock acquire(Path out, Configuration conf, String command) {
    return acquire(out, conf, command, HEARTBEAT_SECONDS * 1000);
  }

  /** {@link #acquire(Path, Configuration, String)} with another heartbeat period, for tests. */
  static OutputLock acquire(Path out, Configuration conf, String command, long heartbeatMillis) {
    try {
      FileSystem fs = out.getFileSystem(conf);
      Path qualified = fs.makeQualified(out);
      boolean created = createOutput(fs, out);
      Path lock = new Path(qualified, RunLayout.LOCK);
      Holder me = Holder.current(command);
      Observed last = null;
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (tryCreate(fs, lock, me)) {
          return new OutputLock(fs, qualified, lock, me, created, heartbeatMillis);
        }
        Optional<Observed> held = Observed.read(fs, lock);
        if (held.isEmpty()) {
          continue; // released between our attempt and our look: try again
        }
        last = held.get();
        if (!last.stale(staleMillis())) {
          break;
        }
        LOG.warn(
            "Replacing the stale lock {}: {} (last touched {})",
            lock,
            last.describe(),
            Instant.ofEpochMilli(last.mtime()));
        breakStale(fs, lock, last);
      }
      throw new OutputBusyException(busyMessage(out, lock, last));
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new IllegalArgumentException("Cannot write to " + out + ": permission denied");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + out + ": " + e.getMessage(), e);
    }
  }

  /** Who holds this lock. */
  public Holder holder() {
    return holder;
  }

  /**
   * Stops the heartbeat and deletes the lock, if it is still this one (a holder that stalled past
   * the stale age may have lost it); then removes the output directory if the lock created it and
   * nothing else was written.
   */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      Optional<Observed> now = Observed.read(fs, lock);
      if (now.isPresent() && holder.equals(now.get().holder())) {
        fs.delete(lock, false);
      } else {
        LOG.warn("The lock {} was taken over while this compute held it", lock);
      }
      if (createdOut && fs.listStatus(out).length == 0) {
        fs.delete(out, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release " + lock + ": " + e.getMessage(), e);
    }
  }

  private void touch() {
    try {
      fs.setTimes(lock, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot touch the lock {}: {}", lock, e.toString());
    }
  }

  /** The lock as found on disk: its holder (null if unreadable) and modification time. */
  record Observed(Holder holder, long mtime) {
    static Optional<Observed> read(FileSystem fs, Path lock) throws IOException {
      try {
        FileStatus st = fs.getFileStatus(lock);
        byte[] bytes;
        try (FSDataInputStream in = fs.open(lock)) {
          bytes = in.readAllBytes();
        }
        return Optional.of(new Observed(parse(bytes), st.getModificationTime()));
      } catch (FileNotFoundException e) {
        return Optional.empty();
      }
    }

    private static Holder parse(byte[] bytes) {
      try {
        return JSON.readValue(bytes, Holder.class);
      } catch (IOException e) {
        return null; // being written, or not ours: judged by its age alone
      }
    }

    /** Whether the holder is gone: a dead process on this host, or no touch for too long. */
    boolean stale(long staleMillis) {
      if (System.currentTimeMillis() - mtime > staleMillis) {
        return true;
      }
      return holder != null
          && localHost().equals(holder.host())
          && !ProcessHandle.of(holder.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    String describe() {
      return holder == null
          ? "an unreadable lock"
          : "pid " + holder.pid() + " on " + holder.host() + ", since " + holder.startedAt();
    }
  }

  static String busyMessage(Path out, Path lock, Observed held) {
    String who =
        held == null
            ? "lock contended"
            : held.holder() == null
                ? "since " + Instant.ofEpochMilli(held.mtime())
                : held.describe();
    return "Cannot write to "
        + out
        + ": another compute holds "
        + new Path(out, RunLayout.LOCK)
        + " ("
        + who
        + "); try again when it ends";
  }

  private static boolean tryCreate(FileSystem fs, Path lock, Holder me) throws IOException {
    byte[] line = (JSON.writeValueAsString(me) + "\n").getBytes(StandardCharsets.UTF_8);
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Path target = Paths.get(lock.toUri());
      java.nio.file.Path tmp =
          target.resolveSibling("." + RunLayout.LOCK + "." + UUID.randomUUID() + ".tmp");
      Files.write(tmp, line);
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    try (FSDataOutputStream os = fs.create(lock, false)) {
      os.write(line);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Moves a stale lock aside and deletes it, unless what was moved is not the lock judged stale (a
   * peer replaced it meanwhile): that one is put back.
   */
  private static void breakStale(FileSystem fs, Path lock, Observed stale) throws IOException {
    Path aside = new Path(lock.getParent(), "." + RunLayout.LOCK + "." + UUID.randomUUID());
    if (!fs.rename(lock, aside)) {
      return; // gone already, or a peer moved it first
    }
    Optional<Observed> moved = Observed.read(fs, aside);
    boolean same =
        moved.isPresent()
            && moved.get().mtime() == stale.mtime()
            && Objects.equals(moved.get().holder(), stale.holder());
    if (same || !fs.rename(aside, lock)) {
      fs.delete(aside, false);
    }
  }

  private static boolean createOutput(FileSystem fs, Path out) throws IOException {
    try {
      if (!fs.getFileStatus(out).isDirectory()) {
        throw new IllegalArgumentException(
            "Cannot write to " + out + ": it is a file, not a directory");
      }
      return false;
    } catch (FileNotFoundException e) {
      if (!fs.mkdirs(out)) {
        throw new IllegalArgumentException("Cannot write to " + out + ": cannot create it");
      }
      return true;
    }
  }

  private static long staleMillis() {
    return Long.getLong(STALE_SECONDS_PROPERTY, DEFAULT_STALE_SECONDS) * 1000;
  }

  private static String localHost() {
    return LocalHost.NAME;
  }

  /** This host's name, looked up once. */
  private static final class LocalHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        String env = System.getenv("HOSTNAME");
        return env == null ? "localhost" : env;
      }
    }
  }
}
