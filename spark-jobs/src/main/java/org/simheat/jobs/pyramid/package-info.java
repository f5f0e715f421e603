/**
 * The pooled pyramid: from the finest stored level's tiles, every coarser level is rolled up
 * exactly (2 × 2 cells into one: sums add, max of max, min of min, means weighted by pair counts),
 * and tiles become Parquet rows with per-cell means. A run that pools only means of bilinear
 * metrics skips the N² pass altogether: {@link org.simheat.jobs.pyramid.MeanPyramid} computes each
 * level's tiles as blocks of S·Sᵀ from the per-cell row sums S.
 */
package org.simheat.jobs.pyramid;
