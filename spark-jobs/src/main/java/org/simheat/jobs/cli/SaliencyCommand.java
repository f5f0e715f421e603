package org.simheat.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simheat saliency}: the text saliency commands ({@code import}, {@code compute}). */
@Command(
    name = "saliency",
    mixinStandardHelpOptions = true,
    description =
        "Text saliency documents: import textualheatmap's JSON, or compute similarity saliency of a corpus.",
    subcommands = {SaliencyImportCommand.class, SaliencyComputeCommand.class})
public final class SaliencyCommand implements Runnable {
  @Spec CommandSpec commandSpec;

  @Override
  public void run() {
    commandSpec.commandLine().usage(commandSpec.commandLine().getOut());
  }
}
