package tracestore.schema;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a child JVM by a test: locks the file in args[0], says "locked", holds it args[1] ms. */
public final class HoldFileLock {
  private HoldFileLock() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel ch = FileChannel.open(
            Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
    }
  }
}
