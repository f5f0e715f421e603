package org.simheat.viewer.http;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * How a {@link ViewerServer} listens and whom it serves.
 *
 * @param host address to bind: an IP literal or a host name ({@code 127.0.0.1} by default)
 * @param port TCP port, 0 for any free port
 * @param token access token every request must carry, or null for none; required when the host is
 *     not a loopback address
 * @param webRoot classpath folder of the page, holding {@code files.txt}
 * @param ioThreads Netty event-loop threads
 * @param serviceThreads threads running service calls (which may block on Parquet reads)
 * @param maxQueuedCalls service calls waiting for a thread before requests get 503
 * @param maxRequestBytes largest request body accepted; larger requests get 413
 * @param tileBodyBytes bytes of encoded tile responses kept ready to send
 * @param gzipLoopback whether clients on a loopback address get gzip too (off: over loopback,
 *     compressing costs more than sending the bytes)
 * @param requestTimeout how long a request may take to arrive whole, from its first byte (a slower
 *     one gets 408 and the connection closes); also how long an answer its client does not read may
 *     hold back other calls before that client is dropped
 * @param idleTimeout how long a connection may stay without a byte read or written (between
 *     requests, or a client that stops reading its answer) before it is closed
 */
public record ServerOptions(
    String host,
    int port,
    String token,
    String webRoot,
    int ioThreads,
    int serviceThreads,
    int maxQueuedCalls,
    int maxRequestBytes,
    long tileBodyBytes,
    boolean gzipLoopback,
    Duration requestTimeout,
    Duration idleTimeout) {

  /** The address bound unless told otherwise. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The port of the command line's default. */
  public static final int DEFAULT_PORT = 8080;

  /** Encoded tile responses kept ready: 32 MiB, forty full 256 × 256 binary tiles. */
  public static final long DEFAULT_TILE_BODY_BYTES = 32L << 20;

  /** Requests larger than this get 413. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  /** A request must arrive whole within this, from its first byte. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** A connection with nothing read or written for this long is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException naming the field and the value when one is out of range
   */
  public ServerOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("Cannot serve: the host is empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Cannot serve: port " + port + " is not in 0..65535");
    }
    if (token != null && !token.matches("[A-Za-z0-9._~-]{8,256}")) {
      throw new IllegalArgumentException(
          "Cannot serve: the token must be 8 to 256 characters from A-Z a-z 0-9 . _ ~ -");
    }
    checkPositive("I/O threads", ioThreads);
    checkPositive("service threads", serviceThreads);
    checkPositive("queued calls", maxQueuedCalls);
    checkPositive("request bytes", maxRequestBytes);
    if (tileBodyBytes < 0) {
      throw new IllegalArgumentException(
          "Cannot serve: tile body cache must be ≥ 0 bytes, not " + tileBodyBytes);
    }
    checkTimeout("request timeout", requestTimeout);
    checkTimeout("idle timeout", idleTimeout);
  }

  /** Loopback, port 8080, no token, the page under {@code web/}, threads sized to the machine. */
  public static ServerOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ServerOptions(
        DEFAULT_HOST,
        DEFAULT_PORT,
        null,
        "web",
        Math.max(1, Math.min(cores, 4)),
        Math.max(2, cores),
        256,
        DEFAULT_MAX_REQUEST_BYTES,
        DEFAULT_TILE_BODY_BYTES,
        false,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT);
  }

  /** These options with another host. */
  public ServerOptions withHost(String newHost) {
    return new ServerOptions(
        newHost,
        port,
        token,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with another port (0 for any free port). */
  public ServerOptions withPort(int newPort) {
    return new ServerOptions(
        host,
        newPort,
        token,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with an access token (null for none). */
  public ServerOptions withToken(String newToken) {
    return new ServerOptions(
        host,
        port,
        newToken,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with the page read from another classpath folder. */
  public ServerOptions withWebRoot(String newWebRoot) {
    return new ServerOptions(
        host,
        port,
        token,
        newWebRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with other thread counts. */
  public ServerOptions withThreads(int newIoThreads, int newServiceThreads) {
    return new ServerOptions(
        host,
        port,
        token,
        webRoot,
        newIoThreads,
        newServiceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with another bound of the encoded tile responses kept (0: none). */
  public ServerOptions withTileBodyBytes(long bytes) {
    return new ServerOptions(
        host,
        port,
        token,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        bytes,
        gzipLoopback,
        requestTimeout,
        idleTimeout);
  }

  /** These options with gzip for loopback clients on or off. */
  public ServerOptions withGzipLoopback(boolean on) {
    return new ServerOptions(
        host,
        port,
        token,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        on,
        requestTimeout,
        idleTimeout);
  }

  /**
   * These options with other timeouts: a request must arrive whole within {@code request} of its
   * first byte; a connection idle for {@code idle} is closed.
   */
  public ServerOptions withTimeouts(Duration request, Duration idle) {
    return new ServerOptions(
        host,
        port,
        token,
        webRoot,
        ioThreads,
        serviceThreads,
        maxQueuedCalls,
        maxRequestBytes,
        tileBodyBytes,
        gzipLoopback,
        request,
        idle);
  }

  /** A fresh random token: 24 bytes of {@link SecureRandom}, base64url without padding. */
  public static String newToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void checkTimeout(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("Cannot serve: " + what + " must be > 0, not " + value);
    }
  }

  private static void checkPositive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Cannot serve: " + what + " must be > 0, not " + value);
    }
  }
}
