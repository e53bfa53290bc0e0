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
import java.util.Optional;

/**
 * What {@code ./waybill stack} is running, written to {@code .waybill/stack.json} so {@code replay-dlq} and other
 * commands can find the endpoints and resource names (no secrets: the emulators take any credentials).
 */
record StackState(AwsEndpoints endpoints, String stream, String deadLetterQueueUrl, URI mqtt, int mqttMutualTlsPort,
                  Path deviceAuthority) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path file(Path repoRoot) {
        return repoRoot.resolve(".waybill").resolve("stack.json");
    }

    void write(Path repoRoot) {
        ObjectNode n = JSON.createObjectNode();
        n.put("region", endpoints.region().id());
        n.put("kinesis", endpoints.kinesis().toString());
        n.put("dynamodb", endpoints.dynamodb().toString());
        n.put("sqs", endpoints.sqs().toString());
        n.put("stream", stream);
        n.put("deadLetterQueueUrl", deadLetterQueueUrl);
        if (mqtt != null) {
            n.put("mqtt", mqtt.toString());
            n.put("mqttMutualTlsPort", mqttMutualTlsPort);
            n.put("deviceAuthority", deviceAuthority.toString());
        }
        try {
            Files.createDirectories(file(repoRoot).getParent());
            Files.writeString(file(repoRoot), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
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

    static StackState of(LocalPipeline pipeline, io.waybill.local.iot.LocalMqttBroker broker, Path deviceAuthority) {
        return new StackState(pipeline.clients().endpoints(), pipeline.names().stream(), pipeline.deadLetterQueueUrl(),
                broker.uri(), broker.mutualTlsPort(), deviceAuthority);
    }

    static Optional<StackState> read(Path repoRoot) {
        Path f = file(repoRoot);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            AwsEndpoints e = AwsEndpoints.local(Region.of(n.path("region").asText()), URI.create(n.path("kinesis").asText()),
                    URI.create(n.path("dynamodb").asText()), URI.create(n.path("sqs").asText()));
            return Optional.of(new StackState(e, n.path("stream").asText(), n.path("deadLetterQueueUrl").asText(),
                    n.hasNonNull("mqtt") ? URI.create(n.path("mqtt").asText()) : null,
                    n.path("mqttMutualTlsPort").asInt(-1),
                    n.hasNonNull("deviceAuthority") ? Path.of(n.path("deviceAuthority").asText()) : null));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
