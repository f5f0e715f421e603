/**
 * The command line (picocli): {@code compute}, {@code watch}, {@code demo}, {@code bench} and
 * {@code saliency}, each with {@code --help}. This is the only package that calls {@code
 * System.exit}: 0 on success, 2 with one line for bad input, 75 with one line when another compute
 * holds the output's lock, 1 for anything else ({@code --verbose} adds the stack trace).
 */
package org.simheat.jobs.cli;
