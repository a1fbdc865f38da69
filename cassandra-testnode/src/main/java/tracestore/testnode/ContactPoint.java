package tracestore.testnode;

import java.net.InetSocketAddress;

/**
 * Where a test reaches Cassandra's native (CQL) protocol.
 *
 * @param host an IP address or host name
 * @param port the native transport port
 * @param localDatacenter the datacenter the driver must name as local
 */
public record ContactPoint(String host, int port, String localDatacenter) {
  /** The default datacenter name of a node with SimpleSnitch. */
  public static final String DEFAULT_DATACENTER = "datacenter1";

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** Parses {@code host:port}, as in {@code TRACESTORE_TEST_CASSANDRA}. */
  public static ContactPoint parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'", e);
    }
    return new ContactPoint(hostPort.substring(0, colon), port, DEFAULT_DATACENTER);
  }

  @Override
  public String toString() {
    return host + ':' + port + " (" + localDatacenter + ')';
  }
}
