package org.simheat.viewer.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's files: a fixed set of classpath resources named by {@code <root>/files.txt}, read into
 * memory once at startup and looked up by the exact request path.
 *
 * <p>{@code files.txt} lists one relative name per line ({@code app.js}, {@code
 * vendor/vega.min.js}; blank lines and {@code #} comments ignored). A request path is either {@code
 * /} (the listed {@code index.html}) or {@code /} followed by a listed name, byte for byte; nothing
 * is decoded, normalised or resolved against a file system, so no request can reach a file outside
 * the set.
 */
final class StaticFiles {
  private static final Logger LOG = LoggerFactory.getLogger(StaticFiles.class);

  /** Names are plain segments of safe characters; no segment is {@code .} or {@code ..}. */
  private static final Pattern NAME =
      Pattern.compile("(?!.*(^|/)\\.{1,2}(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("map", "application/json; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"));

  /**
   * One file of the page.
   *
   * @param bytes its content
   * @param contentType its media type
   * @param etag a strong entity tag of its content, quoted
   */
  record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Asset> byPath;

  private StaticFiles(Map<String, Asset> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  /**
   * Loads the files that {@code <root>/files.txt} lists. A listed file missing from the class path
   * is skipped with a warning; a missing list gives an empty set.
   *
   * @throws IllegalStateException if the list names a file with an unsafe name
   * @throws UncheckedIOException if a resource cannot be read
   */
  static StaticFiles load(ClassLoader loader, String root) {
    String list = read(loader, root + "/files.txt");
    if (list == null) {
      LOG.warn("No {}/files.txt on the class path: the page is not served", root);
      return new StaticFiles(Map.of());
    }
    Map<String, Asset> byPath = new HashMap<>();
    for (String line : list.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (!safeName(name)) {
        throw new IllegalStateException(root + "/files.txt lists an unsafe name: '" + name + "'");
      }
      byte[] bytes = readBytes(loader, root + "/" + name);
      if (bytes == null) {
        LOG.warn("{}/files.txt lists {}, which the class path lacks: not served", root, name);
        continue;
      }
      Asset asset = new Asset(bytes, contentType(name), etag(bytes));
      byPath.put("/" + name, asset);
      if (name.equals("index.html")) {
        byPath.put("/", asset);
      }
    }
    return new StaticFiles(byPath);
  }

  /**
   * Whether a listed name is safe: relative, plain segments, none of them {@code .} or {@code ..}.
   */
  static boolean safeName(String name) {
    return NAME.matcher(name).matches();
  }

  /** The file served at a raw request path, or null. */
  Asset find(String rawPath) {
    return byPath.get(rawPath);
  }

  /** Every path served. */
  Set<String> paths() {
    return byPath.keySet();
  }

  /** The media type of a file name, by its extension. */
  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /** Whether a media type is text that compresses well. */
  static boolean compressible(String contentType) {
    return contentType.startsWith("text/")
        || contentType.startsWith("application/json")
        || contentType.startsWith("image/svg");
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String read(ClassLoader loader, String resource) {
    byte[] bytes = readBytes(loader, resource);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the page's resource " + resource, e);
    }
  }
}
