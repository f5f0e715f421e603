package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.ViewerService;

/**
 * A real {@link ViewerServer} on a free loopback port with an HTTP/1.1 client: over a {@link
 * MatrixViewerService} serving the test page under {@code testweb/}, or over any service (such as
 * the real one) serving the real page.
 */
public final class TestServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MatrixViewerService service;
  private final ViewerServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestServer(ViewerService backing, MatrixViewerService matrix, ServerOptions options)
      throws IOException {
    service = matrix;
    server = ViewerServer.start(backing, options);
  }

  /** A server with the test defaults: loopback, port 0, the test page. */
  public static TestServer start() throws IOException {
    return start(o -> o);
  }

  /** A server with the test defaults changed by {@code options}. */
  public static TestServer start(UnaryOperator<ServerOptions> options) throws IOException {
    MatrixViewerService matrix = new MatrixViewerService();
    return new TestServer(
        matrix, matrix, options.apply(ServerOptions.defaults().withPort(0).withWebRoot("testweb")));
  }

  /** A server on loopback, port 0, serving the real page over {@code service}. */
  public static TestServer over(ViewerService service) throws IOException {
    return over(service, o -> o);
  }

  /** A server over {@code service} with the defaults of {@link #over(ViewerService)} changed. */
  public static TestServer over(ViewerService service, UnaryOperator<ServerOptions> options)
      throws IOException {
    return new TestServer(service, null, options.apply(ServerOptions.defaults().withPort(0)));
  }

  /**
   * The in-memory service behind a server from {@link #start}.
   *
   * @throws IllegalStateException for a server {@link #over} another service
   */
  public MatrixViewerService service() {
    if (service == null) {
      throw new IllegalStateException("This test server is not over a MatrixViewerService");
    }
    return service;
  }

  public int port() {
    return server.port();
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.address();
  }

  public HttpClient client() {
    return client;
  }

  /** {@code http://127.0.0.1:port} + a target. */
  public URI uri(String target) {
    return URI.create("http://127.0.0.1:" + port() + target);
  }

  /** GETs a target with header name/value pairs; the body as a string. */
  public HttpResponse<String> get(String target, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(target)).GET();
    for (int k = 0; k < headers.length; k += 2) {
      b.header(headers[k], headers[k + 1]);
    }
    return send(b.build());
  }

  /** GETs a target with header name/value pairs; the body as bytes, as they came. */
  public HttpResponse<byte[]> getBytes(String target, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(target)).GET();
    for (int k = 0; k < headers.length; k += 2) {
      b.header(headers[k], headers[k + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a request; the body as a string. */
  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses a JSON body. */
  public static JsonNode json(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
