package tracestore.storage.codec;

import java.util.HashMap;
import java.util.Map;

/**
 * Strings that the chunk format knows without storing them: OpenTelemetry semantic-convention keys
 * (both the older and the current names), Zipkin's common tag keys, and small enumerated values
 * (HTTP methods, database and messaging systems, SDK languages). A string-table entry that equals
 * one of them is stored as its index, one or two bytes, instead of its UTF-8 bytes.
 *
 * <p><b>Append-only, frozen per format version:</b> decoders resolve indexes against this exact
 * list, so an entry is never changed, removed or reordered. Format 1 knows the first {@link
 * #V1_SIZE} entries; format 2 knows them all. Adding entries needs a new format version.
 */
final class WellKnownStrings {
  private WellKnownStrings() {}

  static final String[] TABLE = {
    "",
    // general and Zipkin
    "error", "peer.service", "component", "span.kind", "lc", "sql.query",
    "mvc.controller.class", "mvc.controller.method", "otel.status_code", "otel.status_description",
    "otel.library.name", "otel.library.version", "otel.scope.name", "otel.scope.version",
    "thread.name", "thread.id", "code.function", "code.namespace", "code.filepath", "code.lineno",
    "code.function.name", "code.file.path", "code.line.number",
    "exception", "exception.type", "exception.message", "exception.stacktrace", "exception.escaped",
    "error.type", "enduser.id", "user.id", "session.id",
    // HTTP, older and current conventions
    "http.method", "http.url", "http.target", "http.host", "http.scheme", "http.route",
    "http.path", "http.status_code", "http.flavor", "http.user_agent", "http.client_ip",
    "http.request_content_length", "http.response_content_length",
    "http.request.method", "http.request.method_original", "http.response.status_code",
    "http.request.body.size", "http.response.body.size", "http.request.resend_count",
    "url.full", "url.path", "url.query", "url.scheme", "url.template",
    "user_agent.original", "client.address", "client.port",
    "server.address", "server.port", "network.peer.address", "network.peer.port",
    "network.protocol.name", "network.protocol.version", "network.transport", "network.type",
    "net.host.name", "net.host.port", "net.peer.name", "net.peer.port", "net.peer.ip",
    "net.sock.peer.addr", "net.sock.peer.port", "net.transport",
    // databases
    "db.system", "db.system.name", "db.name", "db.namespace", "db.user", "db.statement",
    "db.query.text", "db.query.summary", "db.operation", "db.operation.name", "db.sql.table",
    "db.collection.name", "db.connection_string", "db.rows_affected", "db.response.status_code",
    "db.redis.database_index", "db.mongodb.collection", "db.cassandra.keyspace",
    "db.cassandra.consistency_level", "db.cassandra.coordinator.dc", "db.cassandra.coordinator.id",
    "db.cassandra.idempotence", "db.cassandra.page_size", "db.cassandra.speculative_execution_count",
    "db.elasticsearch.cluster.name",
    // messaging
    "messaging.system", "messaging.destination", "messaging.destination.name",
    "messaging.destination.kind", "messaging.operation", "messaging.operation.name",
    "messaging.operation.type", "messaging.message.id", "messaging.message_id",
    "messaging.message.body.size", "messaging.message.payload_size_bytes",
    "messaging.kafka.partition", "messaging.kafka.destination.partition",
    "messaging.kafka.message.key", "messaging.kafka.message.offset", "messaging.kafka.offset",
    "messaging.kafka.consumer.group", "messaging.consumer.group.name", "messaging.client_id",
    "messaging.client.id", "messaging.batch.message_count", "messaging.rabbitmq.routing_key",
    // RPC
    "rpc.system", "rpc.service", "rpc.method", "rpc.grpc.status_code",
    "rpc.jsonrpc.version", "rpc.jsonrpc.request_id",
    // resource
    "service.name", "service.version", "service.namespace", "service.instance.id",
    "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version",
    "telemetry.auto.version", "telemetry.distro.name", "telemetry.distro.version",
    "host.name", "host.id", "host.arch", "host.type", "host.image.id",
    "os.type", "os.description", "os.name", "os.version",
    "process.pid", "process.executable.name", "process.executable.path", "process.command",
    "process.command_line", "process.command_args", "process.owner", "process.runtime.name",
    "process.runtime.version", "process.runtime.description",
    "container.id", "container.name", "container.image.name", "container.image.tag",
    "container.runtime",
    "k8s.cluster.name", "k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.node.name",
    "k8s.deployment.name", "k8s.replicaset.name", "k8s.statefulset.name", "k8s.daemonset.name",
    "k8s.container.name", "k8s.job.name",
    "cloud.provider", "cloud.platform", "cloud.region", "cloud.availability_zone",
    "cloud.account.id", "deployment.environment", "deployment.environment.name",
    "faas.name", "faas.version", "faas.instance", "faas.trigger",
    // values
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE", "_OTHER",
    "http", "https", "1.0", "1.1", "2", "2.0", "3", "tcp", "udp", "ip_tcp", "ipv4", "ipv6",
    "SELECT", "INSERT", "UPDATE", "UPSERT", "MERGE", "CREATE", "DROP", "ALTER", "EXECUTE",
    "postgresql", "mysql", "mariadb", "mssql", "oracle", "sqlite", "h2", "db2", "redis",
    "mongodb", "cassandra", "elasticsearch", "opensearch", "memcached", "dynamodb", "couchbase",
    "kafka", "rabbitmq", "activemq", "pulsar", "jms", "aws_sqs", "aws_sns", "gcp_pubsub",
    "publish", "send", "receive", "process", "create", "settle", "topic", "queue",
    "grpc", "java_rmi", "dotnet_wcf", "apache_dubbo", "connect_rpc",
    "opentelemetry", "java", "go", "nodejs", "python", "dotnet", "ruby", "php", "rust", "cpp",
    "erlang", "swift", "webjs",
    "production", "staging", "development", "test",
    "aws", "gcp", "azure", "aws_ec2", "aws_ecs", "aws_eks", "aws_lambda", "gcp_kubernetes_engine",
    "linux", "windows", "darwin", "amd64", "arm64", "x86",
    "true", "false", "OK", "ERROR", "UNSET", "0", "200", "201", "204", "400", "401", "403", "404",
    "500", "502", "503", "504",
    // ---- format version 2 appends from here (format 1 ends before this line)
    // OpenTelemetry Java agent instrumentation scope names ("io.opentelemetry." + module name):
    // every span the agent emits carries one of these.
    "io.opentelemetry.jdbc", "io.opentelemetry.r2dbc-1.0", "io.opentelemetry.hibernate-6.0",
    "io.opentelemetry.hibernate-4.0", "io.opentelemetry.spring-data-1.8",
    "io.opentelemetry.tomcat-10.0", "io.opentelemetry.tomcat-7.0", "io.opentelemetry.jetty-11.0",
    "io.opentelemetry.jetty-8.0", "io.opentelemetry.undertow-1.4", "io.opentelemetry.servlet-3.0",
    "io.opentelemetry.servlet-5.0", "io.opentelemetry.spring-webmvc-6.0",
    "io.opentelemetry.spring-webmvc-3.1", "io.opentelemetry.spring-webflux-5.3",
    "io.opentelemetry.reactor-netty-1.0", "io.opentelemetry.netty-4.1", "io.opentelemetry.vertx-web-3.0",
    "io.opentelemetry.http-url-connection", "io.opentelemetry.java-http-client",
    "io.opentelemetry.apache-httpclient-4.3", "io.opentelemetry.apache-httpclient-5.0",
    "io.opentelemetry.okhttp-3.0", "io.opentelemetry.spring-web-3.1",
    "io.opentelemetry.grpc-1.6", "io.opentelemetry.armeria-1.3",
    "io.opentelemetry.lettuce-5.1", "io.opentelemetry.jedis-3.0", "io.opentelemetry.jedis-4.0",
    "io.opentelemetry.redisson-3.17", "io.opentelemetry.cassandra-4.4", "io.opentelemetry.cassandra-4.0",
    "io.opentelemetry.mongo-3.1", "io.opentelemetry.elasticsearch-rest-7.0",
    "io.opentelemetry.kafka-clients-2.6", "io.opentelemetry.kafka-clients-0.11",
    "io.opentelemetry.spring-kafka-2.7", "io.opentelemetry.rabbitmq-2.7", "io.opentelemetry.jms-1.1",
    "io.opentelemetry.jms-3.0", "io.opentelemetry.aws-sdk-2.2", "io.opentelemetry.aws-sdk-1.11",
    "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16",
    "io.opentelemetry.opentelemetry-extension-annotations-1.0", "io.opentelemetry.methods",
    "io.opentelemetry.executors", "io.opentelemetry.spring-scheduling-3.1",
    "io.opentelemetry.quartz-2.0", "io.opentelemetry.graphql-java-20.0",
    "io.opentelemetry.runtime-telemetry-java17", "io.opentelemetry.runtime-telemetry-java8",
    // Other SDKs' common scope names.
    "@opentelemetry/instrumentation-http", "@opentelemetry/instrumentation-express",
    "@opentelemetry/instrumentation-pg", "@opentelemetry/instrumentation-ioredis",
    "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
    "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc",
    "opentelemetry.instrumentation.flask", "opentelemetry.instrumentation.requests",
    "opentelemetry.instrumentation.psycopg2", "OpenTelemetry.Instrumentation.AspNetCore",
    "OpenTelemetry.Instrumentation.Http", "System.Net.Http", "Microsoft.AspNetCore",
    // More current semantic-convention keys and values.
    "error.message", "messaging.destination.partition.id",
    "messaging.kafka.message.tombstone", "db.cassandra.table",
    "http.request.header.content-type", "http.response.header.content-type",
    "network.local.address", "network.local.port", "url.domain", "url.port",
    "k8s.node.uid", "k8s.namespace.uid", "k8s.deployment.uid", "k8s.replicaset.uid",
    "service.instance", "cloud.resource_id", "container.image.id",
    "ok", "unknown", "none", "internal", "server", "client", "producer", "consumer",
    "LOCAL_QUORUM", "QUORUM", "LOCAL_ONE", "ONE", "ALL", "EACH_QUORUM",
    "SET", "HGET", "HSET", "HGETALL", "DEL", "EXPIRE", "MGET", "INCR",
    "1.2", "1.3", "2.0.0", "1.0.0",
    // cloud.region / cloud.availability_zone values of the three largest providers
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-east-1", "me-south-1", "af-south-1",
    "us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "europe-west1", "europe-west2",
    "europe-west3", "europe-west4", "europe-north1", "asia-east1", "asia-northeast1",
    "asia-southeast1", "australia-southeast1", "eastus", "eastus2", "westus", "westus2",
    "westus3", "centralus", "northeurope", "westeurope", "uksouth", "southeastasia", "japaneast"
  };

  /** The number of entries format version 1 knows; its decoder rejects any index beyond. */
  static final int V1_SIZE = 301;

  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 0; i < TABLE.length; i++) {
      if (INDEX.put(TABLE[i], i) != null) throw new AssertionError("duplicate: " + TABLE[i]);
    }
  }

  /** The index of {@code s}, or -1. */
  static int indexOf(String s) {
    Integer i = INDEX.get(s);
    return i == null ? -1 : i;
  }
}
