package org.simheat.viewer.store;

import java.nio.FloatBuffer;

/**
 * The decoded rows of one row group of a run's {@code embeddings}: each row's position and its
 * vector. Vectors are kept row-major in chunks of whole rows of at most {@value #CHUNK_FLOATS}
 * floats (256 KiB), so that a cached row group is no single array of megabytes, which a small
 * heap's G1 would have to place in contiguous humongous regions. Shared through the row-group
 * cache: never modified once decoded.
 */
public final class VectorRows {
  /** Floats per chunk at most (unless one row is longer). */
  static final int CHUNK_FLOATS = 1 << 16;

  private final int[] positions;
  private final float[][] chunks;
  private final int rowsPerChunk;
  private final int dim;

  /** Room for the vectors of rows at {@code positions}, each of {@code dim} floats. */
  VectorRows(int[] positions, int dim) {
    this.positions = positions;
    this.dim = dim;
    this.rowsPerChunk = Math.max(1, CHUNK_FLOATS / Math.max(1, dim));
    int count = (positions.length + rowsPerChunk - 1) / rowsPerChunk;
    this.chunks = new float[count][];
    for (int c = 0; c < count; c++) {
      int rows = Math.min(rowsPerChunk, positions.length - c * rowsPerChunk);
      chunks[c] = new float[rows * dim];
    }
  }

  /** The position of each row, in file order. */
  public int[] positions() {
    return positions;
  }

  /** The embedding dimension. */
  public int dim() {
    return dim;
  }

  /** Rows held. */
  public int rows() {
    return positions.length;
  }

  /** Copies row r's vector into {@code dst} at {@code offset}. */
  public void copyRow(int r, float[] dst, int offset) {
    System.arraycopy(chunks[r / rowsPerChunk], (r % rowsPerChunk) * dim, dst, offset, dim);
  }

  /** Sets value k of row r (while decoding). */
  void set(int r, int k, float value) {
    chunks[r / rowsPerChunk][(r % rowsPerChunk) * dim + k] = value;
  }

  /** Fills {@code n} values from {@code src}, from value index {@code at} in row-major order. */
  void put(long at, FloatBuffer src, int n) {
    long chunkFloats = (long) rowsPerChunk * dim;
    int left = n;
    long next = at;
    while (left > 0) {
      int c = (int) (next / chunkFloats);
      int offset = (int) (next % chunkFloats);
      int len = Math.min(left, chunks[c].length - offset);
      src.get(chunks[c], offset, len);
      next += len;
      left -= len;
    }
  }

  /** Values held: rows × d. */
  long values() {
    return (long) positions.length * dim;
  }

  /** Bytes held by the arrays, for cache accounting. */
  public long bytes() {
    long b = 64 + 4L * positions.length;
    for (float[] c : chunks) {
      b += 16 + 4L * c.length;
    }
    return b;
  }
}
