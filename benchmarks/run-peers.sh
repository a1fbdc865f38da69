#!/usr/bin/env bash
# The peer comparison in one command: tracestore (on Cassandra, PostgreSQL and SQLite) against
# Zipkin's server (on the same Cassandra node, and in memory), with the same load, plus the raw
# write ceilings of Cassandra and PostgreSQL for the same bytes. It rewrites the generated peer
# section of BENCHMARKS.md. Needs a JDK 17, the project (./mvnw fetches Maven and Zipkin's jar),
# and PostgreSQL on 127.0.0.1:5432 (user postgres, database test; override with
# TRACESTORE_TEST_PG_URL). Every process it starts is stopped on exit.
#
#   benchmarks/run-peers.sh [--duration 60s] [--warmup 10s] [--connections 8]
#       [--spans-per-request 100] [--rest-spans 150000] [--rest-rate 3000] [--verify 500]
#       [--ceiling-spans 300000] [--skip-build] [--no-report] [--only LIST]
#
# --only takes a comma-separated subset of: ceilings, ts-cassandra, zipkin-cassandra, zipkin-mem,
# ts-postgres, ts-sqlite (default: all). Results: target/peers/results/*.properties.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

DURATION=60s
WARMUP=10s
CONNECTIONS=8
SPANS_PER_REQUEST=100
REST_SPANS=150000
REST_RATE=3000
VERIFY=500
CEILING_SPANS=300000
BUILD=1
REPORT=1
ONLY="ceilings,ts-cassandra,zipkin-cassandra,zipkin-mem,ts-postgres,ts-sqlite"
ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --spans-per-request) SPANS_PER_REQUEST="$2"; shift 2 ;;
    --rest-spans) REST_SPANS="$2"; shift 2 ;;
    --rest-rate) REST_RATE="$2"; shift 2 ;;
    --verify) VERIFY="$2"; shift 2 ;;
    --ceiling-spans) CEILING_SPANS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    --no-report) REPORT=0; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

PG_URL="${TRACESTORE_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
ZIPKIN_VERSION=3.6.1
OUT="$ROOT/target/peers"
RESULTS="$OUT/results"
NODE_DIR="$OUT/cassandra"
ZIPKIN_JAR="$OUT/zipkin-server-$ZIPKIN_VERSION-exec.jar"
TS_JAR="$ROOT/server/target/tracestore.jar"
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
# Ports of our own, so a stray server on the defaults (4317/4318/9411) cannot answer for us.
TS_ZIPKIN_PORT=19411
TS_OTLP_HTTP_PORT=14318
TS_OTLP_GRPC_PORT=14317
ZIPKIN_PORT=29411
SERVER_HEAP=1g

STARTED_PIDS=()
NODE_STARTED=0
log() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

cleanup() {
  local code=$?
  for pid in "${STARTED_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$NODE_STARTED" = 1 ]; then
    java -cp "$ROOT/cassandra-testnode/target/classes" tracestore.testnode.NodeLauncher stop "$NODE_DIR" >/dev/null 2>&1 || true
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# GET on loopback without curl: prints the status line and body.
http_get() {
  local port=$1 path=$2
  (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3 && timeout 10 cat <&3) 2>/dev/null || true
}

wait_http_ok() {
  local port=$1 path=$2 pid=$3 what=$4 i
  for i in $(seq 1 180); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "$what exited; see its log" >&2; return 1; fi
    if http_get "$port" "$path" | head -1 | grep -q ' 200'; then return 0; fi
    sleep 1
  done
  echo "$what did not answer $path on $port within 180 s" >&2
  return 1
}

stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

bench() { java -Xmx2g -XX:+UseParallelGC -cp "$BENCH_JAR" -Dtracestore.rootDir="$ROOT" "$@"; }

load() { # label protocol url query-url [extra PeerLoad flags...]
  local label=$1 protocol=$2 url=$3 query=$4; shift 4
  bench tracestore.benchmarks.PeerLoad --label "$label" --protocol "$protocol" --url "$url" --query-url "$query" \
    --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" --spans-per-request "$SPANS_PER_REQUEST" \
    --clk-tck "$CLK_TCK" --out "$RESULTS/load-$label.properties" "$@"
}

rest_load() { # label url [extra flags]: the fixed dataset, over Zipkin JSON, paced
  local label=$1 url=$2; shift 2
  bench tracestore.benchmarks.PeerLoad --label "rest-$label" --protocol zipkin-json --url "$url" --query-url "$url" \
    --total-spans "$REST_SPANS" --rate "$REST_RATE" --seed 7 --start-ms "$REST_START_MS" --connections "$CONNECTIONS" \
    --spans-per-request "$SPANS_PER_REQUEST" --verify "$VERIFY" --clk-tck "$CLK_TCK" \
    --out "$RESULTS/rest-$label.properties" "$@"
}

prop() { grep -m1 "^$2=" "$1" | cut -d= -f2-; }

stored_spans() { # the fixed dataset's spans actually stored: acknowledged x fraction read back
  awk -v a="$(prop "$1" acceptedSpans)" -v f="$(prop "$1" storedFraction)" 'BEGIN { printf "%.0f", a * (f == "" ? 1 : f) }'
}

# JFR profile of a server for the whole of its run, summarised into the top sampled frames.
jfr_flags() { echo "-XX:StartFlightRecording=filename=$OUT/jfr/$1.jfr,settings=profile,dumponexit=true"; }
jfr_summary() {
  local name=$1 file="$OUT/jfr/$1.jfr"
  [ -s "$file" ] || return 0
  {
    echo "JFR profile of $name (settings=profile, the server's whole run):"
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$file" | awk -f "$ROOT/benchmarks/jfr-summary.awk"
  } > "$RESULTS/profile-$name.txt" 2>&1 || true
  echo "profile summary: $RESULTS/profile-$name.txt"
  head -16 "$RESULTS/profile-$name.txt"
}

# ---- machine

mkdir -p "$RESULTS" "$OUT/logs" "$OUT/jfr"
rm -f "$RESULTS"/*.properties "$RESULTS"/*.tsv "$RESULTS"/profile-*.txt
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $(nproc) cores, load average $LOAD_START"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "command=benchmarks/run-peers.sh $ARGS"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "jdk=$(java -version 2>&1 | head -1 | tr -d '"')"
  echo "loadStart=$LOAD_START"
  echo "duration=${DURATION%s}"
  echo "warmup=${WARMUP%s}"
  echo "connections=$CONNECTIONS"
  echo "spansPerRequest=$SPANS_PER_REQUEST"
  echo "verify=$VERIFY"
  echo "restSpans=$REST_SPANS"
  echo "restRate=$REST_RATE"
  echo "restSeed=7"
  echo "zipkin=$ZIPKIN_VERSION"
  echo "notesFile=$ROOT/benchmarks/peers-notes.md"
} > "$RESULTS/machine.properties"

# ---- build and fetch

if [ "$BUILD" = 1 ]; then
  log "building the server, the benchmarks and the Cassandra launcher (./mvnw package -DskipTests)"
  ./mvnw -q -B -pl server,benchmarks,cassandra-testnode -am package -DskipTests
fi
for f in "$TS_JAR" "$BENCH_JAR" "$ROOT/cassandra-testnode/classpath/target/cassandra-server.classpath"; do
  [ -s "$f" ] || { echo "missing $f: run without --skip-build" >&2; exit 1; }
done
if [ ! -s "$ZIPKIN_JAR" ]; then
  log "fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:exec with Maven"
  ./mvnw -q -B -N dependency:copy -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" -DoutputDirectory="$OUT"
fi

for p in $TS_ZIPKIN_PORT $TS_OTLP_HTTP_PORT $TS_OTLP_GRPC_PORT $ZIPKIN_PORT; do
  if port_in_use "$p"; then echo "port $p is taken; stop whatever listens there" >&2; exit 1; fi
done

# ---- one Cassandra node, SASI on for Zipkin's schema

NEED_NODE=0
for t in ceilings ts-cassandra zipkin-cassandra; do wants "$t" && NEED_NODE=1; done
if [ "$NEED_NODE" = 1 ]; then
  log "starting one Cassandra 5.0.9 node under $NODE_DIR"
  NODE_STARTED=1
  # not in $(...): the node watches its launcher's parent, which must be this shell
  java -Dtracestore.testnode.sasiIndexes=true -Dtracestore.rootDir="$ROOT" \
    -cp "$ROOT/cassandra-testnode/target/classes" tracestore.testnode.NodeLauncher start "$NODE_DIR" > "$OUT/node.address"
  CASSANDRA="$(tail -1 "$OUT/node.address")"
  CASSANDRA_PID="$(tr -d '[:space:]' < "$NODE_DIR/node.pid")"
  echo "Cassandra answers on $CASSANDRA (pid $CASSANDRA_PID)"
  echo "cassandra=5.0.9 (cassandra-all from Maven Central, forked by cassandra-testnode)" >> "$RESULTS/machine.properties"
fi
echo "postgres=$(psql -tA -h 127.0.0.1 -U postgres -d test -c 'show server_version' 2>/dev/null | cut -d' ' -f1 || echo '?')" >> "$RESULTS/machine.properties"
# the fixed dataset's time: ten minutes ago, the same for both servers
REST_START_MS=$(( $(date +%s) * 1000 - 600000 ))

# ---- raw ceilings

if wants ceilings; then
  log "raw write ceilings of Cassandra, PostgreSQL and SQLite for the same chunk bytes ($CEILING_SPANS spans)"
  bench tracestore.benchmarks.PeerCeilings --cassandra "$CASSANDRA" --cassandra-pid "$CASSANDRA_PID" \
    --pg-url "$PG_URL" --sqlite true --spans "$CEILING_SPANS" --clk-tck "$CLK_TCK" --out "$RESULTS/ceilings.properties"
fi

# ---- tracestore on Cassandra

start_tracestore() { # name [serve flags...]
  local name=$1; shift
  java -Xms$SERVER_HEAP -Xmx$SERVER_HEAP $(jfr_flags "$name") -jar "$TS_JAR" serve --bind-address 127.0.0.1 \
    --zipkin-port $TS_ZIPKIN_PORT --otlp-http-port $TS_OTLP_HTTP_PORT --otlp-grpc-port $TS_OTLP_GRPC_PORT "$@" \
    > "$OUT/logs/$name.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_http_ok $TS_ZIPKIN_PORT /health "$SERVER_PID" "tracestore ($name)" || { tail -30 "$OUT/logs/$name.log"; exit 1; }
  echo "tracestore ($name) is up, pid $SERVER_PID"
}

TS_URL="http://127.0.0.1:$TS_ZIPKIN_PORT"
if wants ts-cassandra; then
  log "tracestore on Cassandra (keyspace ts_peer)"
  start_tracestore ts-cassandra --storage cassandra --cassandra-contact-points "$CASSANDRA" --cassandra-keyspace ts_peer \
    --auto-migrate true
  log "tracestore on Cassandra: the fixed dataset ($REST_SPANS spans at $REST_RATE spans/s, Zipkin JSON)"
  rest_load ts "$TS_URL" --traces-out "$RESULTS/rest-traces.tsv"
  bench tracestore.benchmarks.PeerAtRest --node-dir "$NODE_DIR" --keyspace ts_peer \
    --spans "$(stored_spans "$RESULTS/rest-ts.properties")" --out "$RESULTS/atrest-ts.properties"
  bench tracestore.benchmarks.PeerQueries --label ts --query-url "$TS_URL" --traces "$RESULTS/rest-traces.tsv" \
    --out "$RESULTS/queries-ts.properties"
  CPU="server=$SERVER_PID;db=$CASSANDRA_PID"
  log "tracestore on Cassandra: flat out, OTLP/HTTP protobuf"
  load ts-cassandra-otlp otlp-http "http://127.0.0.1:$TS_OTLP_HTTP_PORT" "$TS_URL" --cpu "$CPU" --verify "$VERIFY"
  log "tracestore on Cassandra: flat out, Zipkin v2 JSON (the bytes Zipkin gets)"
  load ts-cassandra-zipkin zipkin-json "$TS_URL" "$TS_URL" --cpu "$CPU" --verify "$VERIFY" --seed 2
  log "tracestore on Cassandra: flat out, OTLP/gRPC"
  load ts-cassandra-grpc otlp-grpc "http://127.0.0.1:$TS_OTLP_GRPC_PORT" "$TS_URL" --cpu "$CPU" --verify "$VERIFY" --seed 3
  stop_pid "$SERVER_PID"
  jfr_summary ts-cassandra
fi

# ---- Zipkin on Cassandra

start_zipkin() { # name storage-type [env...]
  local name=$1 storage=$2; shift 2
  env STORAGE_TYPE="$storage" QUERY_PORT=$ZIPKIN_PORT "$@" \
    java -Xms$SERVER_HEAP -Xmx$SERVER_HEAP -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 $(jfr_flags "$name") \
    -jar "$ZIPKIN_JAR" > "$OUT/logs/$name.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_http_ok $ZIPKIN_PORT /health "$SERVER_PID" "Zipkin ($name)" || { tail -30 "$OUT/logs/$name.log"; exit 1; }
  echo "Zipkin ($name) is up, pid $SERVER_PID"
}

ZK_URL="http://127.0.0.1:$ZIPKIN_PORT"
if wants zipkin-cassandra; then
  log "Zipkin on Cassandra (keyspace zipkin_peer)"
  start_zipkin zipkin-cassandra cassandra3 CASSANDRA_CONTACT_POINTS="$CASSANDRA" CASSANDRA_KEYSPACE=zipkin_peer \
    CASSANDRA_LOCAL_DC=datacenter1 CASSANDRA_ENSURE_SCHEMA=true
  log "Zipkin on Cassandra: the same fixed dataset"
  rest_load zipkin "$ZK_URL" --settle 10s --traces-out "$RESULTS/rest-traces-zipkin.tsv"
  bench tracestore.benchmarks.PeerAtRest --node-dir "$NODE_DIR" --keyspace zipkin_peer \
    --spans "$(stored_spans "$RESULTS/rest-zipkin.properties")" --out "$RESULTS/atrest-zipkin.properties"
  TRACES="$RESULTS/rest-traces.tsv"; [ -s "$TRACES" ] || TRACES="$RESULTS/rest-traces-zipkin.tsv"
  bench tracestore.benchmarks.PeerQueries --label zipkin --query-url "$ZK_URL" --traces "$TRACES" \
    --out "$RESULTS/queries-zipkin.properties"
  log "Zipkin on Cassandra: flat out, Zipkin v2 JSON; stored spans checked by reading traces back"
  load zipkin-cassandra zipkin-json "$ZK_URL" "$ZK_URL" --cpu "server=$SERVER_PID;db=$CASSANDRA_PID" --verify "$VERIFY" \
    --seed 2 --settle 15s
  stop_pid "$SERVER_PID"
  jfr_summary zipkin-cassandra
fi

if wants zipkin-mem; then
  log "Zipkin in memory"
  start_zipkin zipkin-mem mem
  load zipkin-mem zipkin-json "$ZK_URL" "$ZK_URL" --cpu "server=$SERVER_PID" --seed 2
  stop_pid "$SERVER_PID"
fi

# ---- tracestore on PostgreSQL and SQLite

if wants ts-postgres; then
  log "tracestore on PostgreSQL (schema peer_ts)"
  bench tracestore.benchmarks.PeerCeilings --pg-url "$PG_URL" --pg-fresh-schema peer_ts
  start_tracestore ts-postgres --storage postgres --postgres-url "$PG_URL" --postgres-schema peer_ts --auto-migrate true
  load ts-postgres-otlp otlp-http "http://127.0.0.1:$TS_OTLP_HTTP_PORT" "$TS_URL" --cpu "server=$SERVER_PID;db=@postgres" \
    --verify "$VERIFY"
  stop_pid "$SERVER_PID"
fi

if wants ts-sqlite; then
  log "tracestore on SQLite"
  rm -rf "$OUT/sqlite"; mkdir -p "$OUT/sqlite"
  start_tracestore ts-sqlite --storage sqlite --sqlite-path "$OUT/sqlite/tracestore.db"
  load ts-sqlite-otlp otlp-http "http://127.0.0.1:$TS_OTLP_HTTP_PORT" "$TS_URL" --cpu "server=$SERVER_PID" --verify "$VERIFY"
  stop_pid "$SERVER_PID"
fi

echo "loadEnd=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/machine.properties"
if [ "$REPORT" = 1 ]; then
  log "writing the peer section of BENCHMARKS.md"
  bench tracestore.benchmarks.PeerReport --results "$RESULTS" --file "$ROOT/BENCHMARKS.md"
fi
log "done; results in $RESULTS, logs in $OUT/logs"
