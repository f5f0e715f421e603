/**
 * Blocked similarity products. Positions are split into row blocks; each Spark task multiplies one
 * row block against a run of column blocks with a dense SGEMM, turns the products into every
 * requested metric, and folds them, panel by panel while they are in cache, into pooled cells,
 * per-row top-k neighbours and value ranges. The N² matrix is never materialised: a task's memory
 * is bounded by the block size.
 */
package org.simheat.jobs.similarity;
