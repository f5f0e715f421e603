/**
 * The pooled pyramid: from the finest stored level's tiles, every coarser level is rolled up
 * exactly (2 × 2 cells into one: sums add, max of max, min of min, means weighted by pair counts),
 * and tiles become Parquet rows with per-cell means.
 */
package org.simheat.jobs.pyramid;
