package org.simheat.viewer.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.simheat.viewer.service.ViewerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's HTTP/1.1 server: keep-alive, gzip for text, requests capped in size, the JSON API on
 * a bounded service executor and the page from the jar.
 *
 * <p>Pipeline per connection: idle timeout → {@link IdleFilter} (an answer a slow client keeps
 * reading is not idle; one it stopped reading is) → request deadline (408 when a request does not
 * arrive whole in time) → HTTP codec → keep-alive → gzip → aggregator (413 past the cap) → {@link
 * RequestHandler}. Event loops only parse, route and write; service calls, which may block on
 * Parquet reads, run on {@code serviceThreads} threads with at most {@code maxQueuedCalls} waiting
 * (503 beyond).
 */
public final class ViewerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ViewerServer.class);
  private static final long SHUTDOWN_SECONDS = 5;

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup ioGroup;
  private final ThreadPoolExecutor serviceExecutor;
  private final Channel serverChannel;
  private final InetSocketAddress address;
  private final ServerOptions options;
  private boolean closed;

  private ViewerServer(
      EventLoopGroup bossGroup,
      EventLoopGroup ioGroup,
      ThreadPoolExecutor serviceExecutor,
      Channel serverChannel,
      ServerOptions options) {
    this.bossGroup = bossGroup;
    this.ioGroup = ioGroup;
    this.serviceExecutor = serviceExecutor;
    this.serverChannel = serverChannel;
    this.address = (InetSocketAddress) serverChannel.localAddress();
    this.options = options;
  }

  /**
   * Starts a server and returns once it listens.
   *
   * @throws IllegalArgumentException if the host is unknown, or not loopback and no token is given
   * @throws IOException if the address cannot be bound (e.g. the port is in use)
   */
  public static ViewerServer start(ViewerService service, ServerOptions options)
      throws IOException {
    InetSocketAddress bindAddress = resolve(options);
    StaticFiles files = StaticFiles.load(ViewerServer.class.getClassLoader(), options.webRoot());
    ApiRoutes routes = new ApiRoutes(service, options.tileBodyBytes());
    EventLoopGroup boss = group(1, "simheat-accept");
    EventLoopGroup io = group(options.ioThreads(), "simheat-io");
    ThreadPoolExecutor executor = serviceExecutor(options);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(boss, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer(routes, files, executor, options))
            .bind(bindAddress)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdown(boss, io, executor);
      Throwable cause = bound.cause();
      throw new IOException(
          "Cannot listen on " + hostPort(bindAddress) + ": " + cause.getMessage(), cause);
    }
    ViewerServer server = new ViewerServer(boss, io, executor, bound.channel(), options);
    LOG.info(
        "Serving on http://{}/ ({} page files, {} service threads{})",
        hostPort(server.address),
        files.paths().size(),
        options.serviceThreads(),
        options.token() == null ? "" : ", token required");
    return server;
  }

  /** The address the server listens on, with the bound port (useful with port 0). */
  public InetSocketAddress address() {
    return address;
  }

  /** The port the server listens on. */
  public int port() {
    return address.getPort();
  }

  /** Whether every request must carry the access token. */
  public boolean tokenRequired() {
    return options.token() != null;
  }

  /**
   * Blocks until the server is closed (by {@link #close} or because its channel closed), and its
   * shutdown has finished.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void awaitClose() throws InterruptedException {
    serverChannel.closeFuture().await();
    close();
  }

  /**
   * Stops accepting connections, lets calls in flight finish and be written (for up to five
   * seconds), then closes every connection. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    serverChannel.close().syncUninterruptibly();
    shutdown(bossGroup, ioGroup, serviceExecutor);
    LOG.info("Stopped serving on http://{}/", hostPort(address));
  }

  private static ChannelInitializer<SocketChannel> initializer(
      ApiRoutes routes, StaticFiles files, ThreadPoolExecutor executor, ServerOptions options) {
    // Bounds the answers computed but not yet written (each up to a few MB of JSON before gzip):
    // under load, service threads wait for a permit instead of piling bodies up on the heap. A
    // client that stops reading loses its permits once a call has waited the request timeout.
    AnswerPermits inFlight =
        new AnswerPermits(2 * options.serviceThreads(), options.requestTimeout());
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        InetSocketAddress local = ch.localAddress();
        AccessGuard guard = new AccessGuard(options.token(), options.host(), local.getPort());
        ChannelPipeline p = ch.pipeline();
        p.addLast(idleHandler(options.idleTimeout()));
        p.addLast(new IdleFilter());
        RequestDeadline deadline = new RequestDeadline(options.requestTimeout());
        p.addLast(deadline);
        p.addLast(new HttpServerCodec());
        p.addLast(new HttpServerKeepAliveHandler());
        p.addLast(new TextCompressor(options.gzipLoopback()));
        p.addLast(new CappedRequestAggregator(options.maxRequestBytes()));
        p.addLast(deadline.completion());
        p.addLast(new RequestHandler(routes, files, guard, executor, inFlight));
      }
    };
  }

  private static IdleStateHandler idleHandler(Duration idle) {
    return new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static InetSocketAddress resolve(ServerOptions options) {
    InetAddress host;
    try {
      host = InetAddress.getByName(options.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Cannot serve: unknown host '" + options.host() + "'", e);
    }
    if (!host.isLoopbackAddress() && options.token() == null) {
      throw new IllegalArgumentException(
          "Cannot serve on "
              + options.host()
              + " without an access token: it is not a loopback address");
    }
    return new InetSocketAddress(host, options.port());
  }

  private static EventLoopGroup group(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  private static ThreadPoolExecutor serviceExecutor(ServerOptions options) {
    int threads = options.serviceThreads();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.maxQueuedCalls()),
            new DefaultThreadFactory("simheat-service", true),
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static void shutdown(
      EventLoopGroup boss, EventLoopGroup io, ThreadPoolExecutor executor) {
    boss.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    io.shutdownGracefully(100, SHUTDOWN_SECONDS * 1000, TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
    boss.terminationFuture().syncUninterruptibly();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
