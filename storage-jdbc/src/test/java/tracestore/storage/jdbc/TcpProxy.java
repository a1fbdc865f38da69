package tracestore.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder for tests: the database "goes down" when it is stopped (every
 * connection through it is cut and new ones are refused) and "comes back" when started again on
 * the same port, without touching the shared server.
 */
final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try (ServerSocket probe = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  synchronized void start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    server = s;
    Thread accept = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket upstream = new Socket(targetHost, targetPort);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return; // stopped
        }
      }
    }, "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Cuts every connection and refuses new ones until {@link #start()}. */
  synchronized void stop() throws IOException {
    if (server != null) server.close();
    for (Socket s : sockets) s.close();
    sockets.clear();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
      } catch (IOException e) {
        // a side closed: close both
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
