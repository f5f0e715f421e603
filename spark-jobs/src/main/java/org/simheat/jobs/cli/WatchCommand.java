package org.simheat.jobs.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.watch.CheckpointScan;
import org.simheat.jobs.watch.CheckpointWatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code simheat watch}: polls a directory or a glob for new or changed checkpoints and computes
 * each once, in one Spark session, until stopped. Every option of {@code compute} passes through to
 * each compute, so the two commands never disagree on what an option means.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Poll a directory or a glob for new or changed checkpoints and compute each once into OUT.",
      "A checkpoint is taken once it is unchanged over an interval; failures are retried at the"
          + " next poll. SIGTERM or SIGINT ends the current compute (aborting it after"
          + " -Dsimheat.watch.stopGraceSeconds, default 20) and exits 0."
    },
    footer = {
      "",
      "Every option of 'simheat compute' applies to each compute (--vocab, --tensor, --format,"
          + " --metrics, --aggregations, --order, --clusters, --cluster-*, --neighbors,"
          + " --stored-zoom, --cell-budget, --block-size, --keep, --master, ...), except --path"
          + " and --force."
    })
public final class WatchCommand implements Callable<Integer> {
  private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})([smh]?)");
  private static final long DEFAULT_STOP_GRACE_SECONDS = 20;

  @Spec CommandSpec commandSpec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR|GLOB",
      description =
          "A directory (its .npy, .pt, .safetensors, .onnx, .parquet and"
              + " *.safetensors.index.json files) or a glob of files, on any Hadoop file system.")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  String out;

  @Option(
      names = "--interval",
      paramLabel = "TIME",
      defaultValue = "60s",
      converter = IntervalConverter.class,
      description = "Time between polls: 90, 90s, 5m or 1h (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--once",
      description =
          "Poll once, taking every checkpoint as it is, then exit: 0 if every compute succeeded,"
              + " 1 otherwise (for cron).")
  boolean once;

  @Option(
      names = "--vocab-beside",
      paramLabel = "NAME",
      description =
          "Vocabulary: the file NAME in each checkpoint's own directory (e.g. tokenizer.json).")
  String vocabBeside;

  @Unmatched List<String> computeOptions = new ArrayList<>();

  private int keep;
  private volatile boolean stopping;
  private volatile SparkSession spark;
  private final Object sleep = new Object();
  private final ScheduledExecutorService stopTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "simheat-watch-stop");
            t.setDaemon(true);
            return t;
          });

  @Override
  public Integer call() {
    ComputeCommand template = compute(input);
    keep = template.specs().get(0).keep(); // every option is checked before the first poll
    try (SparkSessions.Session session = SparkSessions.open("simheat watch", template.run.master);
        StopSignals signals = StopSignals.install(this::stop)) {
      spark = session.spark();
      try {
        return watch();
      } finally {
        stopTimer.shutdownNow();
      }
    }
  }

  /** Polls until stopped (or once); returns the exit code. */
  private int watch() {
    CheckpointWatch watch =
        new CheckpointWatch(
            new CheckpointScan(input, vocabBeside, spark.sparkContext().hadoopConfiguration()),
            this::computeFile,
            keep);
    boolean allOk = true;
    for (boolean first = true; ; first = false) {
      allOk &= poll(watch, first || once);
      if (once || stopping) {
        break;
      }
      sleepUntilNextPoll();
    }
    return once && !allOk ? Cli.FAILED : 0;
  }

  /** One poll; prints a line per compute. Returns whether everything succeeded. */
  private boolean poll(CheckpointWatch watch, boolean asFound) {
    try {
      List<CheckpointWatch.Outcome> outcomes = watch.poll(asFound, () -> stopping, this::print);
      return outcomes.stream().allMatch(CheckpointWatch.Outcome::ok);
    } catch (Exception e) { // listing failed: Hadoop's and Spark's exceptions, checked or not
      err().println("watch: " + Cli.oneLine(e) + "; retrying at the next poll");
      return false;
    }
  }

  private ComputeJob.Result computeFile(String file) {
    ComputeCommand c = compute(file);
    List<ComputeSpec> specs = c.specs();
    return new ComputeJob(spark, specs.get(0)).run();
  }

  /**
   * The compute of one file, from the options passed through.
   *
   * @throws IllegalArgumentException for options compute does not take, or watch does not allow
   */
  private ComputeCommand compute(String file) {
    List<String> args = new ArrayList<>(List.of("--input", file, "--out", out));
    if (vocabBeside != null) {
      args.addAll(List.of("--vocab", new Path(new Path(file).getParent(), vocabBeside).toString()));
    }
    if (vocabBeside != null
        && computeOptions.stream().anyMatch(a -> a.equals("--vocab") || a.startsWith("--vocab="))) {
      throw new IllegalArgumentException("--vocab and --vocab-beside exclude each other");
    }
    args.addAll(computeOptions);
    ComputeCommand c = new ComputeCommand();
    try {
      new CommandLine(c).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage() + " (see simheat watch --help)");
    }
    if (c.run.force) {
      throw new IllegalArgumentException(
          "--force does not go with watch: a changed checkpoint is computed anyway");
    }
    return c;
  }

  private void print(CheckpointWatch.Outcome o) {
    if (!o.ok()) {
      err()
          .println(
              "watch: "
                  + o.file()
                  + " failed: "
                  + Cli.reason(o.failure())
                  + "; retrying at the next poll");
      return;
    }
    if (o.skipped()) {
      out()
          .println(
              "watch: skipped "
                  + o.file()
                  + ": older than the newest "
                  + keep
                  + " (--keep "
                  + keep
                  + ")");
      return;
    }
    ComputeJob.Result r = o.result();
    String id = r.manifest().runId();
    out()
        .println(
            r.upToDate()
                ? "watch: up to date: " + id + " (" + o.file() + ")"
                : "watch: run " + id + " from " + o.file());
    for (String removed : r.removed()) {
      out().println("watch: " + ComputeCommand.removed(removed, keep));
    }
  }

  /**
   * A signal: stop after the current compute, aborting it once the grace time is over, or at once
   * on a second signal.
   */
  private void stop(String signal) {
    boolean again = stopping;
    stopping = true;
    long grace =
        again ? 0 : Long.getLong("simheat.watch.stopGraceSeconds", DEFAULT_STOP_GRACE_SECONDS);
    err()
        .println(
            again
                ? "watch: SIG" + signal + " again: aborting the current compute"
                : String.format(
                    Locale.ROOT,
                    "watch: SIG%s: stopping (a compute still running in %d s is aborted)",
                    signal,
                    grace));
    synchronized (sleep) {
      sleep.notifyAll();
    }
    SparkSession s = spark;
    if (s != null) {
      // Cancelling reaches only running Spark jobs: repeat it until the compute gives up.
      stopTimer.scheduleWithFixedDelay(
          () -> s.sparkContext().cancelAllJobs(), grace * 1000, 200, TimeUnit.MILLISECONDS);
    }
  }

  private void sleepUntilNextPoll() {
    long end = System.nanoTime() + interval.toNanos();
    synchronized (sleep) {
      for (long left = end - System.nanoTime();
          !stopping && left > 0;
          left = end - System.nanoTime()) {
        try {
          TimeUnit.NANOSECONDS.timedWait(sleep, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
    }
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  private PrintWriter err() {
    return commandSpec.commandLine().getErr();
  }

  /**
   * Parses an interval: a number of seconds, or a number ending in s, m or h.
   *
   * @throws IllegalArgumentException for anything else, or zero
   */
  static Duration parseInterval(String text) {
    Matcher m = INTERVAL.matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          "--interval must be a positive time like 90, 90s, 5m or 1h, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** picocli's converter for {@code --interval}. */
  static final class IntervalConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parseInterval(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
