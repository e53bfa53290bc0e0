package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The canonical event stream (issue 10): ingest publishes to it, the cold-chain function reads it. */
class CanonicalEventStreamTest {

    private static Map<String, Object> canonicalStream(SynthesizedStacks.Synthesized variant) {
        return variant.properties(variant.stack().canonicalEvents().stream());
    }

    @Test
    void streamIsNamedLikeTheTelemetryStreamAndKeepsAWeekInEveryStage() {
        assertThat(canonicalStream(SynthesizedStacks.dev())).containsEntry("Name", "waybill-dev-canonical-events")
                .containsEntry("RetentionPeriodHours", 168);
        // the telemetry stream of load-test keeps 48 h; the canonical stream still a week
        assertThat(canonicalStream(SynthesizedStacks.loadTest()))
                .containsEntry("Name", "waybill-load-test-canonical-events")
                .containsEntry("RetentionPeriodHours", 168);
    }

    @Test
    void streamIsOnDemandUnlessTheStageGivesCanonicalStreamShards() {
        assertThat(canonicalStream(SynthesizedStacks.dev()))
                .containsEntry("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND")).doesNotContainKey("ShardCount");
        // load-test: canonicalStreamShards=2 (its telemetry stream has 4: the two are sized apart)
        assertThat(canonicalStream(SynthesizedStacks.loadTest()))
                .containsEntry("StreamModeDetails", Map.of("StreamMode", "PROVISIONED"))
                .containsEntry("ShardCount", 2);
    }

    @Test
    void streamIsEncryptedWithItsOwnRotatingCustomerKey() {
        var dev = SynthesizedStacks.dev();
        var canonical = dev.stack().canonicalEvents();
        String key = dev.logicalId(canonical.key());
        assertThat(key).isNotEqualTo(dev.logicalId(dev.stack().telemetry().key()));
        assertThat(canonicalStream(dev)).containsEntry("StreamEncryption",
                Map.of("EncryptionType", "KMS", "KeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
        assertThat(asMap(dev.resources("AWS::KMS::Key").get(key).get("Properties")))
                .containsEntry("EnableKeyRotation", true);
        assertThat(dev.resources("AWS::KMS::Alias").values()).map(a -> asMap(a.get("Properties")))
                .filteredOn(a -> "alias/waybill-dev-canonical-events".equals(a.get("AliasName"))).singleElement()
                .satisfies(a -> assertThat(a.get("TargetKeyId")).isEqualTo(Map.of("Fn::GetAtt", List.of(key, "Arn"))));
    }

    @Test
    void streamAndItsKeyGoWithTheStackBecauseTheEventStoreIsTheRecord() {
        var dev = SynthesizedStacks.dev();
        var canonical = dev.stack().canonicalEvents();
        assertThat(dev.resource(canonical.stream())).containsEntry("DeletionPolicy", "Delete");
        assertThat(dev.resources("AWS::KMS::Key").get(dev.logicalId(canonical.key())))
                .containsEntry("DeletionPolicy", "Delete");
    }
}
