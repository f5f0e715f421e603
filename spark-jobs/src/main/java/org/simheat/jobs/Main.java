package org.simheat.jobs;

import org.simheat.jobs.cli.Cli;

/**
 * The entry point that {@code bin/simheat} and {@code spark-submit --class org.simheat.jobs.Main}
 * run: {@code compute}, {@code watch}, {@code demo}, {@code bench}, {@code saliency}. See {@link
 * Cli}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Cli.main(args);
  }
}
