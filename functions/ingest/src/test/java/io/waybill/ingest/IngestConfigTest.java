package io.waybill.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestConfigTest {

    @Test
    void missingTableNameFailsAtStartWithTheVariableName() {
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(Map.of(IngestConfig.ENV_SHIPMENTS_TABLE, "s",
                IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(IngestConfig.ENV_EVENTS_TABLE);
    }

    @Test
    void skewBoundsAndRecordLimitComeFromTheEnvironment() {
        IngestConfig c = IngestConfig.fromEnvironment(Map.of(IngestConfig.ENV_EVENTS_TABLE, "e",
                IngestConfig.ENV_SHIPMENTS_TABLE, "s", IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q",
                IngestConfig.ENV_CANONICAL_STREAM_NAME, "c", IngestConfig.ENV_MAX_FUTURE_SKEW_SECONDS, "30", IngestConfig.ENV_MAX_PAST_AGE_HOURS, "48",
                IngestConfig.ENV_MAX_RECORD_BYTES, "65536", IngestConfig.ENV_DEAD_LETTER_BUCKET, "b",
                IngestConfig.ENV_DEVICE_REGISTRY_TABLE, "d"));

        assertThat(c.normalizer().clockSkewPolicy().maxFutureSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.normalizer().clockSkewPolicy().maxPastAge()).isEqualTo(Duration.ofHours(48));
        assertThat(c.normalizer().maxRecordBytes()).isEqualTo(65536);
        assertThat(c.endpointOverride()).isEmpty();
        assertThat(c.canonicalStreamName()).hasValue("c");
        assertThat(c.deadLetterBucket()).hasValue("b");
        assertThat(c.deadLetterInlineLimitBytes()).isEqualTo(262_144); // SQS's classic 256 KiB
    }

    @Test
    void missingClaimCheckBucketFailsAtStartWithTheVariableName() {
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(Map.of(IngestConfig.ENV_EVENTS_TABLE, "e",
                IngestConfig.ENV_SHIPMENTS_TABLE, "s", IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q",
                IngestConfig.ENV_CANONICAL_STREAM_NAME, "c")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_DEAD_LETTER_BUCKET");
    }

    @Test
    void inlineLimitComesFromTheEnvironment() {
        IngestConfig c = IngestConfig.fromEnvironment(Map.of(IngestConfig.ENV_EVENTS_TABLE, "e",
                IngestConfig.ENV_SHIPMENTS_TABLE, "s", IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q",
                IngestConfig.ENV_CANONICAL_STREAM_NAME, "c", IngestConfig.ENV_DEAD_LETTER_BUCKET, "b",
                IngestConfig.ENV_DEAD_LETTER_INLINE_LIMIT_BYTES, "1048576", IngestConfig.ENV_DEVICE_REGISTRY_TABLE, "d"));

        assertThat(c.deadLetterInlineLimitBytes()).isEqualTo(1_048_576);
    }

    @Test
    void missingCanonicalStreamFailsAtStartWithTheVariableName() {
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(Map.of(IngestConfig.ENV_EVENTS_TABLE, "e",
                IngestConfig.ENV_SHIPMENTS_TABLE, "s", IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_CANONICAL_STREAM_NAME");
    }

    private static Map<String, String> required() {
        return new HashMap<>(Map.of(IngestConfig.ENV_EVENTS_TABLE, "e", IngestConfig.ENV_SHIPMENTS_TABLE, "s",
                IngestConfig.ENV_DEAD_LETTER_QUEUE_URL, "q", IngestConfig.ENV_CANONICAL_STREAM_NAME, "c",
                IngestConfig.ENV_DEAD_LETTER_BUCKET, "b", IngestConfig.ENV_DEVICE_REGISTRY_TABLE, "d"));
    }

    @Test
    void aStageWithoutLegacyDataHasNoLegacyIdCutover() {
        assertThat(IngestConfig.fromEnvironment(required()).legacyIdCutover()).isEmpty();
        Map<String, String> blank = required();
        blank.put("WAYBILL_LEGACY_ID_CUTOVER", " ");
        assertThat(IngestConfig.fromEnvironment(blank).legacyIdCutover()).isEmpty();
    }

    @Test
    void legacyIdCutoverIsAnIsoInstantFromTheEnvironment() {
        Map<String, String> env = required();
        env.put("WAYBILL_LEGACY_ID_CUTOVER", "2026-12-02T19:00:00Z");

        assertThat(IngestConfig.fromEnvironment(env).legacyIdCutover())
                .hasValue(Instant.ofEpochSecond(1_796_238_000L)); // 2026-12-02T19:00:00Z, worked out with `date -d`
    }

    @Test
    void aLegacyIdCutoverThatIsNotAnInstantFailsAtStartWithTheVariableName() {
        Map<String, String> env = required();
        env.put("WAYBILL_LEGACY_ID_CUTOVER", "2026-12-02"); // a date has no time zone: ambiguous by up to a day

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_LEGACY_ID_CUTOVER").hasMessageContaining("'2026-12-02'");
    }

    @Test
    void missingDeviceRegistryTableFailsAtStartWithTheVariableName() {
        Map<String, String> env = required();
        env.remove(IngestConfig.ENV_DEVICE_REGISTRY_TABLE);
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(IngestConfig.ENV_DEVICE_REGISTRY_TABLE);
    }

    @Test
    void deviceChecksDefaultToRejectAWindowOf65536AndAOneMinuteCache() {
        IngestConfig c = IngestConfig.fromEnvironment(required());
        assertThat(c.deviceRegistryTable()).hasValue("d");
        assertThat(c.unassignedPolicy()).isEqualTo(io.waybill.domain.device.ProducerVerification.UnassignedPolicy.REJECT);
        assertThat(c.replayWindow()).isEqualTo(65_536L);
        assertThat(c.deviceCache()).isEqualTo(java.time.Duration.ofSeconds(60));
    }

    @Test
    void deviceChecksComeFromTheEnvironment() {
        Map<String, String> env = required();
        env.put(IngestConfig.ENV_UNASSIGNED_POLICY, "flag");
        env.put(IngestConfig.ENV_REPLAY_WINDOW, "1024");
        env.put(IngestConfig.ENV_DEVICE_CACHE_SECONDS, "5");
        IngestConfig c = IngestConfig.fromEnvironment(env);
        assertThat(c.unassignedPolicy()).isEqualTo(io.waybill.domain.device.ProducerVerification.UnassignedPolicy.FLAG);
        assertThat(c.replayWindow()).isEqualTo(1024L);
        assertThat(c.deviceCache()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void anUnknownUnassignedPolicyOrAZeroWindowFailsAtStartWithTheVariableName() {
        Map<String, String> env = required();
        env.put(IngestConfig.ENV_UNASSIGNED_POLICY, "accept");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env)).hasMessageContaining(IngestConfig.ENV_UNASSIGNED_POLICY);
        env.put(IngestConfig.ENV_UNASSIGNED_POLICY, "reject");
        env.put(IngestConfig.ENV_REPLAY_WINDOW, "0");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env)).hasMessageContaining(IngestConfig.ENV_REPLAY_WINDOW);
    }
}
