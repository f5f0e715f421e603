/**
 * The on-disk contract between simheat's Spark jobs and its viewer: the level and tile math of the
 * pooled pyramid, the run layout under an output directory, the Parquet column names and the {@code
 * manifest.json} model. Plain Java: this package depends on neither Spark nor Netty, so both halves
 * agree on one definition of every number and name they exchange.
 */
package org.simheat.format;
