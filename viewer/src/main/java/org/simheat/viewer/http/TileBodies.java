package org.simheat.viewer.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.simheat.format.Aggregation;
import org.simheat.viewer.service.ViewerService;
import org.simheat.viewer.service.ViewerService.Tile;
import org.simheat.viewer.store.BoundedCache;

/**
 * Tile responses encoded once and kept as ready bytes in direct memory, keyed by the resolved run
 * id (so {@code latest} never serves a replaced run's tiles), metric, tile, format and
 * aggregations: a hot tile costs a lookup and a write, without re-encoding its floats, allocating
 * them again or copying them to the socket's buffer (the JDK frees an evicted body once no write
 * holds it). Bounded in bytes, least recently used first out. Runs never change once committed, so
 * entries of a removed run are only dead weight until evicted: requests for it fail before the
 * lookup.
 */
final class TileBodies {
  /**
   * A response body and its media type.
   *
   * @param bytes the body from its position to its limit; a cached body is a read-only direct
   *     buffer, which Netty writes to the socket without copying it
   * @param contentType its media type
   */
  record Body(ByteBuffer bytes, String contentType) {

    /** A body of bytes of its own. */
    static Body of(byte[] bytes, String contentType) {
      return new Body(ByteBuffer.wrap(bytes), contentType);
    }

    /**
     * This body in direct memory, read-only, to be shared by many responses (copied if need be).
     */
    Body shared() {
      if (bytes.isDirect() && bytes.isReadOnly()) {
        return this;
      }
      ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining());
      direct.put(bytes.duplicate()).flip();
      return new Body(direct.asReadOnlyBuffer(), contentType);
    }
  }

  /** The wire format of a tile. */
  enum Format {
    JSON,
    F32
  }

  private record Key(String runId, String metric, int z, long i, long j, Format format, int aggs) {}

  private final ViewerService service;
  private final BoundedCache<Key, Body> bodies;

  TileBodies(ViewerService service, long maxBytes) {
    this.service = service;
    this.bodies = new BoundedCache<>(maxBytes, b -> 64L + b.bytes().remaining());
  }

  /**
   * The encoded tile (z, i, j) of a run's metric with only {@code aggs} (all when empty).
   *
   * @throws org.simheat.viewer.service.ApiException as {@link ViewerService#tile(String, String,
   *     int, long, long, Set)}
   */
  Body get(String run, String metric, int z, long i, long j, Format format, Set<Aggregation> aggs) {
    String runId = service.manifest(run).runId();
    int mask = 0;
    for (Aggregation a : aggs) {
      mask |= 1 << a.ordinal();
    }
    Key key = new Key(runId, metric, z, i, j, format, mask);
    try {
      return bodies.get(key, () -> encode(service.tile(runId, metric, z, i, j, aggs), format));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes held now. */
  long bytes() {
    return bodies.bytes();
  }

  private static Body encode(Tile t, Format format) {
    Body b =
        format == Format.F32
            ? new Body(TileBinary.encode(t), TileBinary.CONTENT_TYPE)
            : new Body(JsonBodies.direct(t), Reply.JSON);
    return b.shared();
  }
}
