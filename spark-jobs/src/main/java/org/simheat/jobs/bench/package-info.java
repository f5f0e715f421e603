/**
 * The building blocks of {@code simheat bench}: references measured in the same run (this machine's
 * SGEMM rate through the job's own BLAS, a sequential read of the input), seeded random inputs
 * cached between runs, and a watch on the JVM's heap. Each benchmark prints its figures beside such
 * a reference, so a noisy shared machine still gives comparable ratios.
 */
package org.simheat.jobs.bench;
