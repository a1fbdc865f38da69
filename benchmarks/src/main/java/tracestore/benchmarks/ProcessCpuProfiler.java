package tracestore.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting the benchmark JVM's CPU time per operation ({@code cpu.ns/op}): all its
 * threads, so garbage collection is included. On a machine shared with other work, the wall-clock
 * score also counts time spent waiting for a core; CPU time does not. Use with {@code -prof
 * tracestore.benchmarks.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
  public static final String LABEL = "cpu.ns/op";
  private long startCpuNanos;

  public ProcessCpuProfiler() {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public String getDescription() {
    return "process CPU time per operation, all JVM threads (GC included)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpuNanos = processCpuNanos();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long used = processCpuNanos() - startCpuNanos;
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    return List.of(new ScalarResult(LABEL, used / (double) ops, "ns/op", AggregationPolicy.AVG));
  }
}
