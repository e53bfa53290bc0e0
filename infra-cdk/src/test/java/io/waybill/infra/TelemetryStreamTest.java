package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class TelemetryStreamTest {

    private static Map<String, Object> telemetryStream(SynthesizedStacks.Synthesized variant) {
        return variant.properties(variant.stack().telemetry().stream());
    }

    @Test
    void streamIsOnDemandWithAWeekOfRetentionByDefault() {
        Map<String, Object> stream = telemetryStream(SynthesizedStacks.dev());
        assertThat(stream).containsEntry("Name", "waybill-dev-telemetry")
                .containsEntry("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"))
                .containsEntry("RetentionPeriodHours", 168)
                .doesNotContainKey("ShardCount");
    }

    @Test
    void streamIsProvisionedWithTheContextShardCountAndRetention() {
        Map<String, Object> stream = telemetryStream(SynthesizedStacks.loadTest());
        assertThat(stream).containsEntry("StreamModeDetails", Map.of("StreamMode", "PROVISIONED"))
                .containsEntry("ShardCount", 4)
                .containsEntry("RetentionPeriodHours", 48);
    }

    @Test
    void streamIsEncryptedWithItsOwnRotatingKey() {
        var dev = SynthesizedStacks.dev();
        String key = dev.logicalId(dev.stack().telemetry().key());
        assertThat(telemetryStream(dev)).containsEntry("StreamEncryption",
                Map.of("EncryptionType", "KMS", "KeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
        assertThat(asMap(dev.resources("AWS::KMS::Key").get(key).get("Properties")))
                .containsEntry("EnableKeyRotation", true);
    }

    @Test
    void streamAndItsKeyGoWithTheStackBecauseTheStreamIsOnlyABuffer() {
        var dev = SynthesizedStacks.dev();
        var telemetry = dev.stack().telemetry();
        assertThat(dev.resources("AWS::Kinesis::Stream").get(dev.logicalId(telemetry.stream())))
                .containsEntry("DeletionPolicy", "Delete");
        assertThat(dev.resources("AWS::KMS::Key").get(dev.logicalId(telemetry.key())))
                .containsEntry("DeletionPolicy", "Delete");
    }
}
