/**
 * The {@code compute} job: validate the inputs, run the blocked similarity pass and the pyramid,
 * write the run's tables to staging, verify and commit. {@link org.simheat.jobs.compute.ComputeJob}
 * is the table of contents; everything it calls lives in the input, cluster, similarity, pyramid
 * and output packages.
 */
package org.simheat.jobs.compute;
