package org.simheat.jobs.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;

/** The output lock on a local disk: exclusion, the busy message, stale locks, the heartbeat. */
class OutputLockTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toString());
  }

  static String host() throws IOException {
    return InetAddress.getLocalHost().getHostName();
  }

  /** Writes a lock as another compute would, touched {@code ageSeconds} ago. */
  static Path writeLock(Path out, String host, long pid, long ageSeconds) throws IOException {
    Files.createDirectories(out);
    Path lock = out.resolve(RunLayout.LOCK);
    Files.writeString(
        lock,
        "{\"host\":\""
            + host
            + "\",\"pid\":"
            + pid
            + ",\"startedAt\":\"2026-11-22T06:30:00Z\",\"command\":\"compute\"}\n");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
    return lock;
  }

  /** The pid of a process that has ended. */
  static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private long livePid() throws IOException {
    Process p = new ProcessBuilder("sleep", "600").start();
    started.add(p);
    return p.pid();
  }

  @Test
  void holdsTheLockWithWhoHoldsItAndReleasesIt() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
      JsonNode json = new ObjectMapper().readTree(out.resolve(RunLayout.LOCK).toFile());
      assertThat(json.get("host").asText()).isEqualTo(host());
      assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(json.get("command").asText()).isEqualTo("compute");
      assertThat(Instant.parse(json.get("startedAt").asText())).isBeforeOrEqualTo(Instant.now());
      assertThat(json.has("runId")).isFalse();
      assertThat(lock.holder().pid()).isEqualTo(ProcessHandle.current().pid());
    }
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void anOutputTheLockCreatedIsRemovedWhenNothingWasWritten() {
    Path out = tmp.resolve("new/out");
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
      assertThat(out.resolve(RunLayout.LOCK)).exists();
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void aLiveHolderMakesTheOutputBusyWithOneLine() throws IOException {
    Path out = tmp.resolve("out");
    long pid = livePid();
    Path lock = writeLock(out, host(), pid, 0);
    String before = Files.readString(lock);
    assertThatThrownBy(() -> OutputLock.acquire(hadoop(out), CONF, "compute"))
        .isInstanceOf(OutputBusyException.class)
        .hasMessage(
            "Cannot write to "
                + hadoop(out)
                + ": another compute holds "
                + hadoop(out)
                + "/_lock (pid "
                + pid
                + " on "
                + host()
                + ", since 2026-11-22T06:30:00Z); try again when it ends");
    assertThat(Files.readString(lock)).isEqualTo(before);
    try (var files = Files.list(out)) {
      assertThat(files).containsExactly(lock);
    }
  }

  @Test
  void aFreshLockOfAnotherHostIsHeldEvenWithAPidUnknownHere() throws Exception {
    Path out = tmp.resolve("out");
    writeLock(out, "elsewhere.example", deadPid(), 30);
    assertThatThrownBy(() -> OutputLock.acquire(hadoop(out), CONF, "compute"))
        .isInstanceOf(OutputBusyException.class)
        .hasMessageContaining("(pid ")
        .hasMessageContaining(" on elsewhere.example, since 2026-11-22T06:30:00Z)");
  }

  @Test
  void aLockOfADeadProcessOnThisHostIsReplaced() throws Exception {
    Path out = tmp.resolve("out");
    writeLock(out, host(), deadPid(), 0);
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
      JsonNode json = new ObjectMapper().readTree(out.resolve(RunLayout.LOCK).toFile());
      assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void aLockUntouchedForLongerThanTheStaleAgeIsReplaced() throws Exception {
    Path out = tmp.resolve("out");
    writeLock(out, "elsewhere.example", livePid(), OutputLock.DEFAULT_STALE_SECONDS + 5);
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
      JsonNode json = new ObjectMapper().readTree(out.resolve(RunLayout.LOCK).toFile());
      assertThat(json.get("host").asText()).isEqualTo(host());
    }
    writeLock(out, "elsewhere.example", livePid(), 60);
    System.setProperty(OutputLock.STALE_SECONDS_PROPERTY, "30");
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
      assertThat(lock.holder().host()).isEqualTo(host());
    } finally {
      System.clearProperty(OutputLock.STALE_SECONDS_PROPERTY);
    }
  }

  @Test
  void exactlyOneOfManyRacingTakersGetsTheLock() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    int takers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(takers);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      List<Future<Boolean>> got = new ArrayList<>();
      for (int i = 0; i < takers; i++) {
        got.add(
            pool.submit(
                () -> {
                  start.await();
                  try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute")) {
                    release.await();
                    return true;
                  } catch (OutputBusyException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      // Every taker but the winner gives up at once; the winner holds the lock until released.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (got.stream().filter(Future::isDone).count() < takers - 1
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      release.countDown();
      long winners = 0;
      for (Future<Boolean> f : got) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(out).isEmptyDirectory();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theHeartbeatTouchesAHeldLock() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    try (OutputLock lock = OutputLock.acquire(hadoop(out), CONF, "compute", 20)) {
      Path file = out.resolve(RunLayout.LOCK);
      FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
      Files.setLastModifiedTime(file, old);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Files.getLastModifiedTime(file).equals(old) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Files.getLastModifiedTime(file).toInstant())
          .isAfter(Instant.now().minusSeconds(60));
    }
  }

  @Test
  void aFileInPlaceOfTheOutputIsBadInput() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThatThrownBy(() -> OutputLock.acquire(hadoop(file), CONF, "compute"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write to " + hadoop(file) + ": it is a file, not a directory");
  }
}
