package tracestore.testnode;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Asks a node whether it answers CQL: sends a native protocol v4 OPTIONS frame and expects a
 * SUPPORTED frame back. Needs no driver, so the launcher depends only on the JDK.
 */
final class CqlPing {
  private static final byte VERSION_4_REQUEST = 0x04;
  private static final byte VERSION_4_RESPONSE = (byte) 0x84;
  private static final byte OPCODE_OPTIONS = 0x05;
  private static final byte OPCODE_SUPPORTED = 0x06;

  private CqlPing() {}

  /** True when {@code host:port} answered OPTIONS with SUPPORTED within about two seconds. */
  static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      // header: version, flags, stream id (2 bytes), opcode, body length (4 bytes) = 0
      out.write(new byte[] {VERSION_4_REQUEST, 0, 0, 0, OPCODE_OPTIONS, 0, 0, 0, 0});
      out.flush();
      byte[] header = new byte[9];
      new DataInputStream(socket.getInputStream()).readFully(header);
      return header[0] == VERSION_4_RESPONSE && header[4] == OPCODE_SUPPORTED;
    } catch (IOException e) {
      return false;
    }
  }
}
