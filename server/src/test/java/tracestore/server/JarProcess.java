package tracestore.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged {@code tracestore.jar} as a child process, its output in a log file. */
final class JarProcess implements AutoCloseable {
  final Process process;
  final Path log;
  final int otlpGrpcPort;
  final int otlpHttpPort;
  final int zipkinPort;

  private JarProcess(Process process, Path log, int grpc, int http, int zipkin) {
    this.process = process;
    this.log = log;
    this.otlpGrpcPort = grpc;
    this.otlpHttpPort = http;
    this.zipkinPort = zipkin;
  }

  static Path jar() {
    String jar = System.getProperty("tracestore.jar", "target/tracestore.jar");
    Path p = Path.of(jar);
    if (!Files.isRegularFile(p)) throw new AssertionError("build the jar first (mvn package): " + p.toAbsolutePath());
    return p;
  }

  /** Starts {@code tracestore serve} on SQLite in {@code dataDir} and waits until /health is 200. */
  static JarProcess serve(Path dataDir, String logName, String... extra) throws Exception {
    int grpc = TestHttp.freePort();
    int http = TestHttp.freePort();
    int zipkin = TestHttp.freePort();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
        jar().toAbsolutePath().toString(), "serve", "--bind-address", "127.0.0.1",
        "--sqlite-path", dataDir.resolve("tracestore.db").toString(),
        "--otlp-grpc-port", Integer.toString(grpc), "--otlp-http-port", Integer.toString(http),
        "--zipkin-port", Integer.toString(zipkin)));
    cmd.addAll(List.of(extra));
    Path log = dataDir.resolve(logName);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    JarProcess jp = new JarProcess(p, log, grpc, http, zipkin);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new AssertionError("tracestore exited with " + p.exitValue() + ":\n" + jp.output());
      try {
        if (TestHttp.get(jp.zipkinUrl() + "/health").statusCode() == 200) return jp;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    jp.close();
    throw new AssertionError("tracestore did not become healthy in 90 s:\n" + jp.output());
  }

  String zipkinUrl() {
    return "http://127.0.0.1:" + zipkinPort;
  }

  String otlpHttpUrl() {
    return "http://127.0.0.1:" + otlpHttpPort;
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }
}
