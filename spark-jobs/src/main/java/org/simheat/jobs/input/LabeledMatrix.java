package org.simheat.jobs.input;

import java.util.List;

/**
 * A matrix together with the tokens its own file carries (word2vec text, Parquet), or null tokens
 * when the format holds none.
 *
 * @param matrix the rows
 * @param tokens one token per row, or null
 */
public record LabeledMatrix(MatrixSource matrix, List<String> tokens) {}
