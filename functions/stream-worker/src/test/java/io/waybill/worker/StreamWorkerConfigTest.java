package io.waybill.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StreamWorkerConfigTest {

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_STREAM_NAME", "events");
        env.put("WAYBILL_APPLICATION_NAME", "events-worker");
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    @Test
    void defaultsAreProductionDefaults() {
        StreamWorkerConfig c = StreamWorkerConfig.fromEnvironment(required());
        assertThat(c.streamName()).isEqualTo("events");
        assertThat(c.applicationName()).isEqualTo("events-worker");
        assertThat(c.workerId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(c.batchSize()).isEqualTo(StreamWorkerConfig.DEFAULT_BATCH_SIZE);
        assertThat(c.maxAttempts()).isEqualTo(StreamWorkerConfig.DEFAULT_MAX_ATTEMPTS);
        assertThat(c.leaseFailover()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.leaderLease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.onFailureQueueUrl()).isEmpty();
        assertThat(c.kinesisEndpoint()).isEmpty();
        assertThat(c.createLeaseTable()).isTrue();
    }

    @Test
    void localProfileAndOverrides() {
        Map<String, String> env = required();
        env.put("WAYBILL_TIMING_PROFILE", "local");
        env.put("WAYBILL_LEASE_FAILOVER_MILLIS", "4000");
        env.put("WAYBILL_WORKER_ID", "w1");
        env.put("WAYBILL_KINESIS_ENDPOINT", "http://127.0.0.1:4567");
        env.put("WAYBILL_ON_FAILURE_QUEUE_URL", "http://127.0.0.1:9324/000000000000/on-failure");
        env.put("WAYBILL_BATCH_SIZE", "50");
        env.put("WAYBILL_MAX_ATTEMPTS", "2");
        StreamWorkerConfig c = StreamWorkerConfig.fromEnvironment(env);
        assertThat(c.leaseFailover()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.leaseAssignmentInterval()).isEqualTo(StreamWorkerConfig.LOCAL_LEASE_ASSIGNMENT_INTERVAL);
        assertThat(c.leaderLease()).isEqualTo(StreamWorkerConfig.LOCAL_LEADER_LEASE);
        assertThat(c.workerId()).isEqualTo("w1");
        assertThat(c.kinesisEndpoint()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(c.onFailureQueueUrl()).isPresent();
        assertThat(c.batchSize()).isEqualTo(50);
        assertThat(c.maxAttempts()).isEqualTo(2);
    }

    @Test
    void missingOrInvalidValuesAreRejected() {
        Map<String, String> env = required();
        env.remove("WAYBILL_STREAM_NAME");
        assertThatThrownBy(() -> StreamWorkerConfig.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WAYBILL_STREAM_NAME");
        Map<String, String> bad = required();
        bad.put("WAYBILL_MAX_ATTEMPTS", "0");
        assertThatThrownBy(() -> StreamWorkerConfig.fromEnvironment(bad))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
