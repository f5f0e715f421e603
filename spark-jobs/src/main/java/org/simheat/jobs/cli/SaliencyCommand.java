package org.simheat.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simheat saliency}: the text saliency commands ({@code import}). */
@Command(
    name = "saliency",
    mixinStandardHelpOptions = true,
    description = "Text saliency documents: import textualheatmap's JSON into Parquet.",
    subcommands = {SaliencyImportCommand.class})
public final class SaliencyCommand implements Runnable {
  @Spec CommandSpec commandSpec;

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }
}
