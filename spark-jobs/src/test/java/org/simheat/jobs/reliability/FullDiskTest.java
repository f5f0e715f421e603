package org.simheat.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/**
 * A real full disk under staging: the output lives on a small tmpfs holding a committed run, and
 * the next compute needs more than the space left. It must fail with one line saying the device is
 * full and naming the file, leave the previous run and {@code LATEST} byte for byte, and give every
 * byte back (free space after = free space before: staging deleted and no file left open); with the
 * tmpfs grown, the same compute commits a correct run. Mounting needs root, as on CI; anywhere else
 * the test fails saying so (the injected "No space left on device" of {@link WriteFaultsTest}
 * covers the same path without a mount).
 */
class FullDiskTest {
  /** Room for the small run (about 100 KB) but not for the big one (about 4 MB). */
  private static final String SMALL = "1536k";

  private static final String BIG = "32m";

  @TempDir static Path dir;

  private static Path mount;

  @BeforeAll
  static void mountSmallTmpfs() throws IOException {
    assertThat(isRoot())
        .as(
            "FullDiskTest mounts a tmpfs and must run as root (CI does); run it as root or skip it"
                + " with -Dtest='!FullDiskTest'")
        .isTrue();
    mount = Files.createDirectories(dir.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=" + SMALL, "tmpfs", mount.toString());
  }

  /**
   * Unmounts the tmpfs. A busy mount means a file on it is still open (a leaked stream): that fails
   * the test, after a lazy unmount so nothing stays mounted under target/.
   */
  @AfterAll
  static void unmount() throws IOException {
    if (mount == null) {
      return;
    }
    String busy = exec("umount", mount.toString());
    if (busy != null) {
      exec("umount", "-l", mount.toString());
    }
    assertThat(busy).as("umount: a file on the tmpfs is still open").isNull();
  }

  @Test
  void aComputeThatFillsTheDiskLeavesThePreviousRunAndGivesTheSpaceBack() throws IOException {
    TestSpark.session();
    Path out = mount.resolve("out");
    Path small = NpyFiles.write(dir.resolve("small.npy"), NaiveSimilarity.gaussian(50, 8, 1));
    BadInputsTest.Outcome first = WriteFaultsTest.compute(small, out);
    assertThat(first.code()).as(first.err()).isZero();
    Map<String, String> before = BadInputsTest.snapshot(out);
    String previous = WriteFaultsTest.latest(out);
    long free = Files.getFileStore(mount).getUnallocatedSpace();
    Path big = WriteFaultsTest.input(dir, "big.npy", 2);

    BadInputsTest.Outcome full = WriteFaultsTest.compute(big, out);

    WriteFaultsTest.assertFailedWithOneLine(
        full, out, "/" + RunLayout.STAGING + "/", "No space left on device");
    BadInputsTest.assertUntouched(out, before);
    assertThat(Files.getFileStore(mount).getUnallocatedSpace()).as("free bytes").isEqualTo(free);

    run("mount", "-o", "remount,size=" + BIG, mount.toString());
    BadInputsTest.Outcome again = WriteFaultsTest.compute(big, out);

    assertThat(again.code()).as(again.err()).isZero();
    String run = WriteFaultsTest.latest(out);
    assertThat(run).isNotEqualTo(previous);
    WriteFaultsTest.assertRunMatches(
        out.resolve(RunLayout.runDir(run)),
        NaiveSimilarity.gaussian(WriteFaultsTest.N, WriteFaultsTest.D, 2));
    Map<String, String> after = BadInputsTest.snapshot(out);
    before.forEach(
        (file, hash) -> {
          if (!file.startsWith(RunLayout.LATEST)) {
            assertThat(after).as(file).containsEntry(file, hash);
          }
        });
  }

  private static boolean isRoot() throws IOException {
    Process p = new ProcessBuilder("id", "-u").start();
    return "0".equals(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }

  /** Runs a command; fails with its output unless it exits 0. */
  private static void run(String... command) throws IOException {
    String failed = exec(command);
    assertThat(failed).as(String.join(" ", command)).isNull();
  }

  /** Runs a command; null if it exits 0, else its output. */
  private static String exec(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      return p.waitFor() == 0 ? null : output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
