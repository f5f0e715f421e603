package org.simheat.jobs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code simheat bench}: the benchmarks, one subcommand each. Every one prints its figures beside a
 * reference measured in the same run and ends with the line {@code NAME: VALUE UNIT (RATIO×
 * REFERENCE)}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks, each against a reference measured in the same run.",
    subcommands = {SimilarityBench.class, PyramidBench.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec commandSpec;

  /** Without a subcommand: the usage, and the exit code of a usage error. */
  @Override
  public Integer call() {
    commandSpec.commandLine().getErr().println("simheat: bench needs a benchmark to run");
    commandSpec.commandLine().usage(commandSpec.commandLine().getErr());
    return Cli.BAD_INPUT;
  }
}
