/**
 * {@code watch}: find checkpoints in a directory or by a glob, on any Hadoop file system, and
 * compute each new or changed one once it has stopped changing. {@link
 * org.simheat.jobs.watch.CheckpointScan} lists them with a state that changes whenever one of their
 * files does; {@link org.simheat.jobs.watch.CheckpointWatch} decides, poll by poll, which to
 * compute. Computing itself, and its idempotence, is the compute job's.
 */
package org.simheat.jobs.watch;
