package org.simheat.viewer.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of a load generator: sends a GET, reads the status, the
 * headers and the whole body (Content-Length or chunked) into a reused buffer, and keeps the body
 * only when asked, so that a client costs little more than the kernel's copies.
 */
final class BenchClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] sink = new byte[1 << 16];
  private final StringBuilder line = new StringBuilder(128);

  /**
   * An answer.
   *
   * @param status status code
   * @param bytes body bytes as sent (compressed or not)
   * @param head the first bytes of the body (up to 64), to check what came
   * @param body the whole body when it was asked for, else null
   */
  record Response(int status, long bytes, byte[] head, byte[] body) {}

  BenchClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(60_000);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    out = socket.getOutputStream();
  }

  /** GETs a target, with {@code Accept-Encoding: gzip} when asked, and reads the answer. */
  Response get(String target, boolean gzip, boolean keepBody) throws IOException {
    String request =
        "GET "
            + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (gzip ? "Accept-Encoding: gzip\r\n" : "")
            + "\r\n";
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String status = readLine();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    Body body = new Body(keepBody);
    if (chunked) {
      for (long size = Long.parseLong(readLine().strip(), 16);
          size > 0;
          size = Long.parseLong(readLine().strip(), 16)) {
        body.read(size);
        readLine();
      }
      readLine();
    } else if (length > 0) {
      body.read(length);
    }
    return new Response(code, body.bytes, body.head.toByteArray(), body.kept());
  }

  /** Accumulates a body from the stream. */
  private final class Body {
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(64);
    private final ByteArrayOutputStream all;
    private long bytes;

    Body(boolean keep) {
      all = keep ? new ByteArrayOutputStream() : null;
    }

    void read(long count) throws IOException {
      long left = count;
      while (left > 0) {
        int n = in.read(sink, 0, (int) Math.min(sink.length, left));
        if (n < 0) {
          throw new IOException("connection closed mid-body");
        }
        if (head.size() < 64) {
          head.write(sink, 0, Math.min(n, 64 - head.size()));
        }
        if (all != null) {
          all.write(sink, 0, n);
        }
        left -= n;
        bytes += n;
      }
    }

    byte[] kept() {
      return all == null ? null : all.toByteArray();
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
