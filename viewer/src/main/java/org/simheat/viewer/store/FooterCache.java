package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.DirectByteBufferAllocator;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;

/**
 * Parsed Parquet footers by file, least recently used first out, so that a point read costs one
 * open and the pages it needs, not a footer parse. Committed runs never change their files, so an
 * entry stays valid until it is evicted or its run is forgotten.
 */
public final class FooterCache {
  private final int maxEntries;
  private final Map<Path, ParquetMetadata> footers;

  /**
   * Creates a cache holding at most {@code maxEntries} footers.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  public FooterCache(int maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("Footer cache size must be > 0, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.footers = new LinkedHashMap<>(64, 0.75f, true);
  }

  /** Options that read with the viewer's own codecs and no Hadoop configuration. */
  static ParquetReadOptions.Builder optionsBuilder() {
    return new ParquetReadOptions.Builder(new PlainParquetConfiguration())
        .withCodecFactory(StandaloneCodecFactory.INSTANCE)
        // Column chunks and decompressed pages off the heap: they are megabytes each, read and
        // dropped on every cache miss, which a small heap would keep fragmenting.
        .withAllocator(DirectByteBufferAllocator.getInstance())
        .useDictionaryFilter(false)
        .useBloomFilter(false)
        .useStatsFilter(true)
        .useColumnIndexFilter(true);
  }

  /**
   * The footer of a file, parsed on first use.
   *
   * @throws IOException if the file cannot be read or is not Parquet
   */
  public ParquetMetadata footer(Path file) throws IOException {
    synchronized (footers) {
      ParquetMetadata hit = footers.get(file);
      if (hit != null) {
        return hit;
      }
    }
    ParquetMetadata parsed;
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(file), optionsBuilder().build())) {
      parsed = reader.getFooter();
    }
    synchronized (footers) {
      footers.put(file, parsed);
      while (footers.size() > maxEntries) {
        Path eldest = footers.keySet().iterator().next();
        footers.remove(eldest);
      }
    }
    return parsed;
  }

  /** Drops every footer of a file under {@code dir}, e.g. when its run has gone. */
  public void forget(Path dir) {
    synchronized (footers) {
      footers.keySet().removeIf(p -> p.startsWith(dir));
    }
  }

  /** Footers held now. */
  public int size() {
    synchronized (footers) {
      return footers.size();
    }
  }
}
