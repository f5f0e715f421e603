/**
 * The command line (picocli): {@code compute}, {@code demo} and {@code bench}, each with {@code
 * --help}. This is the only package that calls {@code System.exit}: 0 on success, 2 with one line
 * for bad input, 1 for anything else ({@code --verbose} adds the stack trace).
 */
package org.simheat.jobs.cli;
