package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket to Chromium's DevTools endpoint speaking the Chrome DevTools Protocol: commands are
 * JSON objects with an id, answered by a result (or an error) with the same id; flattened target
 * sessions add a {@code sessionId}. Events (messages without an id) go to the listeners added with
 * {@link #onEvent}; callers otherwise poll the page.
 */
final class DevToolsConnection implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocket socket;
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Duration timeout;
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

  private DevToolsConnection(WebSocket socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * Connects to a DevTools WebSocket URL ({@code ws://127.0.0.1:port/devtools/browser/…}).
   *
   * @throws IOException if the connection cannot be opened
   */
  static DevToolsConnection open(URI url, Duration timeout) throws IOException {
    Receiver receiver = new Receiver();
    try {
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(url, receiver)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      DevToolsConnection connection = new DevToolsConnection(socket, timeout);
      receiver.owner = connection;
      return connection;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while connecting to DevTools at " + url, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("Cannot connect to DevTools at " + url, e);
    }
  }

  /**
   * Sends a command and waits for its result.
   *
   * @param sessionId a flattened target session, or null for the browser
   * @throws IOException if Chromium answers with an error, or does not answer in time
   */
  JsonNode send(String sessionId, String method, ObjectNode params) throws IOException {
    long id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params == null ? JSON.createObjectNode() : params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      socket.sendText(JSON.writeValueAsString(message), true).join();
      JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer.has("error")) {
        throw new IOException("DevTools " + method + " failed: " + answer.get("error"));
      }
      return answer.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for DevTools " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("No answer from DevTools to " + method, e);
    } finally {
      pending.remove(id);
    }
  }

  /** Adds a listener called, on the socket's thread, with every event message as it arrives. */
  void onEvent(Consumer<JsonNode> listener) {
    listeners.add(listener);
  }

  /** A fresh params object. */
  static ObjectNode params() {
    return JSON.createObjectNode();
  }

  @Override
  public void close() {
    socket.abort();
    pending.values().forEach(f -> f.completeExceptionally(new IOException("DevTools closed")));
  }

  private void receive(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (!message.has("id") && message.has("method")) {
        listeners.forEach(l -> l.accept(message));
        return;
      }
      CompletableFuture<JsonNode> reply = pending.get(message.path("id").asLong(-1));
      if (reply != null) {
        reply.complete(message);
      }
    } catch (IOException e) {
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  /** Gathers text frames into messages and hands each whole message to its connection. */
  private static final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile DevToolsConnection owner;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        if (owner != null) {
          owner.receive(message);
        }
      }
      socket.request(1);
      return null;
    }
  }
}
