package org.simheat.viewer.store;

import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The range of an integer key column over a whole file, from its row groups' footer statistics. A
 * file without usable statistics for the column gets the widest range, so it is never skipped.
 */
final class KeyStatistics {
  private KeyStatistics() {}

  /** {min, max} of {@code column} over every row group of the file. */
  static long[] range(ParquetMetadata footer, String column) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (BlockMetaData block : footer.getBlocks()) {
      long[] r = chunkRange(block, column);
      if (r == null) {
        return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
      }
      min = Math.min(min, r[0]);
      max = Math.max(max, r[1]);
    }
    return new long[] {min, max};
  }

  /** {min, max} of {@code column} in one row group, or the widest range if unknown. */
  static long[] blockRange(BlockMetaData block, String column) {
    long[] r = chunkRange(block, column);
    return r != null ? r : new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
  }

  private static long[] chunkRange(BlockMetaData block, String column) {
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (c.getPath().size() == 1 && c.getPath().toArray()[0].equals(column)) {
        Statistics<?> s = c.getStatistics();
        if (s == null || s.isEmpty() || !s.hasNonNullValue()) {
          return block.getRowCount() == 0 ? new long[] {Long.MAX_VALUE, Long.MIN_VALUE} : null;
        }
        if (s.genericGetMin() instanceof Number lo && s.genericGetMax() instanceof Number hi) {
          return new long[] {lo.longValue(), hi.longValue()};
        }
        return null;
      }
    }
    return null;
  }
}
