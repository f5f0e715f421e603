/**
 * Writing a run and committing it atomically: tables go to {@code _staging/<run>}, their counts are
 * verified, the directory moves into {@code runs/}, {@code manifest.json} is written last and
 * {@code LATEST} is replaced in one rename. A failure removes the staging directory and leaves the
 * previous run and {@code LATEST} as they were. The {@code embeddings} table is written straight
 * from the matrix by {@link org.simheat.jobs.output.EmbeddingWriter}, page by page, with no Spark
 * rows in between.
 */
package org.simheat.jobs.output;
