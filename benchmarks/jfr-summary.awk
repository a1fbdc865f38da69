# Summarises `jfr print --stack-depth 64 --events jdk.ExecutionSample` output: the share of samples
# whose stack passes through each component (a sample counts once per component), and the top
# frames where the samples were taken (self time). Used by run-peers.sh.
function component(f) {
  if (f ~ /^tracestore\.ingest/) return "tracestore ingest (receivers, decode, batching)";
  if (f ~ /^tracestore\.storage\.cassandra/) return "tracestore Cassandra writer/reader";
  if (f ~ /^tracestore\.storage\.jdbc/) return "tracestore JDBC backend";
  if (f ~ /^tracestore\.query/) return "tracestore query";
  if (f ~ /^tracestore\.storage/) return "tracestore storage-api (chunk codec, index derivation)";
  if (f ~ /^tracestore\./) return "tracestore other";
  if (f ~ /^com\.datastax\./) return "Cassandra Java driver";
  if (f ~ /^io\.netty\./) return "Netty";
  if (f ~ /^com\.linecorp\.armeria\./) return "Armeria";
  if (f ~ /^(com\.google\.protobuf|io\.opentelemetry\.proto)\./) return "protobuf";
  if (f ~ /^com\.fasterxml\.jackson\./) return "Jackson";
  if (f ~ /^zipkin2\.storage\./) return "zipkin2 storage (Cassandra span consumer)";
  if (f ~ /^zipkin2\.(codec|internal)\./) return "zipkin2 codec (JSON decode)";
  if (f ~ /^zipkin2\.|^zipkin\./) return "zipkin2 other (collector, server)";
  if (f ~ /^(net\.jpountz|at\.yawk)\./) return "LZ4";
  if (f ~ /^org\.springframework\./) return "Spring";
  if (f ~ /^(org\.xerial|org\.sqlite)\./) return "SQLite";
  if (f ~ /^(org\.postgresql|com\.zaxxer)\./) return "pgjdbc/HikariCP";
  return "";
}
/stackTrace = \[/ { inside = 1; first = 1; split("", seen); total++; next }
inside && /^[ \t]*\]/ { inside = 0; for (c in seen) comp[c]++; next }
inside {
  f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f);
  if (f == "...") next;
  if (first) { self[f]++; first = 0 }
  c = component(f); if (c != "") seen[c] = 1;
}
END {
  printf "%d execution samples.\n\nShare of samples passing through each component:\n", total;
  for (c in comp) printf "  %5.1f%%  %s\n", 100 * comp[c] / total, c | "sort -rn";
  close("sort -rn");
  printf "\nTop frames (self):\n";
  for (f in self) printf "  %5.1f%%  %s\n", 100 * self[f] / total, f | "sort -rn | head -15";
  close("sort -rn | head -15");
}
