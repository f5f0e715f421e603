package org.simheat.jobs.cli;

import picocli.CommandLine.Option;

/** The options every command that computes runs shares: where Spark runs, and how it fails. */
final class RunOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description = "Spark master when not run by spark-submit (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--force", description = "Recompute even when an identical run exists.")
  boolean force;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  boolean verbose;
}
