package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.AwsEndpoints;
import io.waybill.local.pipeline.LocalPipeline;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code ./waybill stack} is running, written to {@code .waybill/stack.json} so {@code replay} and other
 * commands can find the endpoints and resource names (no secrets: the emulators take any credentials), with the
 * stack JVM's PID and process start instant: a command that reads the file checks that this very process is still
 * alive ({@link #running(Path)}), so a file left behind by a killed stack is reported, not trusted.
 */
record StackState(AwsEndpoints endpoints, String stream, String deadLetterQueueUrl, URI mqtt, int mqttMutualTlsPort,
                  Path deviceAuthority, long pid, Instant startedAt, URI opsApi, StackAnchoring anchoring) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A state without anchoring (a stack deployed without an Ethereum node, or a file written before it had one). */
    StackState(AwsEndpoints endpoints, String stream, String deadLetterQueueUrl, URI mqtt, int mqttMutualTlsPort,
               Path deviceAuthority, long pid, Instant startedAt, URI opsApi) {
        this(endpoints, stream, deadLetterQueueUrl, mqtt, mqttMutualTlsPort, deviceAuthority, pid, startedAt, opsApi,
                null);
    }

    /** A state without the ops API (a stack that does not serve it, or a file written before it did). */
    StackState(AwsEndpoints endpoints, String stream, String deadLetterQueueUrl, URI mqtt, int mqttMutualTlsPort,
               Path deviceAuthority, long pid, Instant startedAt) {
        this(endpoints, stream, deadLetterQueueUrl, mqtt, mqttMutualTlsPort, deviceAuthority, pid, startedAt, null,
                null);
    }

    /** This state with the ops API's base URL (the local gateway's loopback address). */
    StackState withOpsApi(URI base) {
        return new StackState(endpoints, stream, deadLetterQueueUrl, mqtt, mqttMutualTlsPort, deviceAuthority, pid,
                startedAt, base, anchoring);
    }

    /** This state with what {@code ./waybill verify} needs of the stack's anchoring (null: none). */
    StackState withAnchoring(StackAnchoring a) {
        return new StackState(endpoints, stream, deadLetterQueueUrl, mqtt, mqttMutualTlsPort, deviceAuthority, pid,
                startedAt, opsApi, a);
    }

    static Path file(Path repoRoot) {
        return repoRoot.resolve(".waybill").resolve("stack.json");
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a file. */
    void write(Path repoRoot) {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", pid);
        if (startedAt != null) {
            n.put("startedAt", startedAt.toString());
        }
        n.put("region", endpoints.region().id());
        n.put("kinesis", endpoints.kinesis().toString());
        n.put("dynamodb", endpoints.dynamodb().toString());
        n.put("sqs", endpoints.sqs().toString());
        n.put("s3", endpoints.s3().toString());
        n.put("stream", stream);
        n.put("deadLetterQueueUrl", deadLetterQueueUrl);
        if (mqtt != null) {
            n.put("mqtt", mqtt.toString());
            n.put("mqttMutualTlsPort", mqttMutualTlsPort);
            n.put("deviceAuthority", deviceAuthority.toString());
        }
        if (opsApi != null) {
            n.put("opsApi", opsApi.toString());
        }
        if (anchoring != null) {
            ObjectNode a = n.putObject("anchoring");
            a.put("eventsTable", anchoring.eventsTable());
            a.put("proofsTable", anchoring.proofsTable());
            a.put("rpcUrl", anchoring.rpcUrl().toString());
            a.put("chainId", anchoring.chainId());
            a.put("registry", anchoring.registry());
        }
        Path f = file(repoRoot);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("stack.json." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path repoRoot) {
        try {
            Files.deleteIfExists(file(repoRoot));
        } catch (IOException e) {
            // best effort on shutdown
        }
    }

    /** This process's state for a deployed pipeline and broker. */
    static StackState of(LocalPipeline pipeline, io.waybill.local.iot.LocalMqttBroker broker, Path deviceAuthority) {
        ProcessHandle self = ProcessHandle.current();
        return new StackState(pipeline.clients().endpoints(), pipeline.names().stream(), pipeline.deadLetterQueueUrl(),
                broker.uri(), broker.mutualTlsPort(), deviceAuthority, self.pid(),
                self.info().startInstant().orElse(null));
    }

    /** The endpoints on one line, for banners and refusals. */
    String describeEndpoints() {
        return "Kinesis " + endpoints.kinesis() + ", DynamoDB " + endpoints.dynamodb() + ", SQS " + endpoints.sqs()
                + ", S3 " + endpoints.s3()
                + (mqtt == null ? "" : ", MQTT " + mqtt + " (mutual TLS port " + mqttMutualTlsPort + ")")
                + (opsApi == null ? "" : ", ops API " + opsApi);
    }

    /** The file as written, without any liveness check; empty when there is none. */
    static Optional<StackState> read(Path repoRoot) {
        Path f = file(repoRoot);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            AwsEndpoints e = AwsEndpoints.local(Region.of(n.path("region").asText()), URI.create(n.path("kinesis").asText()),
                    URI.create(n.path("dynamodb").asText()), URI.create(n.path("sqs").asText()),
                    URI.create(n.path("s3").asText()));
            return Optional.of(new StackState(e, n.path("stream").asText(), n.path("deadLetterQueueUrl").asText(),
                    n.hasNonNull("mqtt") ? URI.create(n.path("mqtt").asText()) : null,
                    n.path("mqttMutualTlsPort").asInt(-1),
                    n.hasNonNull("deviceAuthority") ? Path.of(n.path("deviceAuthority").asText()) : null,
                    n.path("pid").asLong(-1),
                    n.hasNonNull("startedAt") ? Instant.parse(n.path("startedAt").asText()) : null,
                    n.hasNonNull("opsApi") ? URI.create(n.path("opsApi").asText()) : null,
                    n.hasNonNull("anchoring") ? new StackAnchoring(n.path("anchoring").path("eventsTable").asText(),
                            n.path("anchoring").path("proofsTable").asText(),
                            URI.create(n.path("anchoring").path("rpcUrl").asText()),
                            n.path("anchoring").path("chainId").asLong(),
                            n.path("anchoring").path("registry").asText()) : null));
        } catch (IOException | RuntimeException ex) {
            throw UserError.failed(f + " is unreadable (" + UserError.describe(ex) + "): delete it, or restart"
                    + " ./waybill stack");
        }
    }

    /**
     * The running stack's state. A state whose process is gone (or whose PID now belongs to another process: its
     * start instant differs) is stale: it is removed and reported.
     *
     * @return empty when no stack has written a state
     * @throws UserError (exit 1) for a stale state, after removing it
     */
    static Optional<StackState> running(Path repoRoot) {
        Optional<StackState> state = read(repoRoot);
        if (state.isEmpty() || state.get().alive(repoRoot)) {
            return state;
        }
        StackState stale = state.get();
        delete(repoRoot);
        throw UserError.failed("the stack recorded in " + file(repoRoot) + " (PID " + stale.pid
                + (stale.startedAt == null ? "" : ", started " + stale.startedAt) + ") is no longer running;"
                + " removed that stale state: start a stack with ./waybill stack");
    }

    /** As {@link #running(Path)}, with "no stack" as a {@link UserError} too. */
    static StackState require(Path repoRoot) {
        return running(repoRoot).orElseThrow(() -> UserError.failed(
                "no local stack is running (start one with ./waybill stack)"));
    }

    /**
     * Whether the process that wrote this state is still running: the same PID with the same process start instant;
     * where the OS does not report start instants (or an old file has no PID), whether the stack lock is held.
     */
    boolean alive(Path repoRoot) {
        if (pid <= 0) {
            return StackLock.held(repoRoot);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<Instant> start = process.get().info().startInstant();
        if (start.isEmpty() || startedAt == null) {
            return StackLock.held(repoRoot);
        }
        return Objects.equals(start.get(), startedAt);
    }
}
