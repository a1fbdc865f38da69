/**
 * Benchmarks and load data: {@link tracestore.benchmarks.RealisticTraces} generates realistic
 * multi-service traces; {@link tracestore.benchmarks.CodecBenchmark} measures the stored chunk
 * codec against JSON+LZ4 and OTLP protobuf baselines, and {@link tracestore.benchmarks.CodecReport}
 * runs it and prints the table for {@code BENCHMARKS.md}.
 */
package tracestore.benchmarks;
