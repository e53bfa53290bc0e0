package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The raw archive bucket: cheaper storage with age, expiry from the stage. */
class RawArchiveTest {

    private static Object rules(SynthesizedStacks.Synthesized variant) {
        return asMap(variant.properties(variant.stack().rawArchive().bucket()).get("LifecycleConfiguration"))
                .get("Rules");
    }

    @Test
    void objectsMoveToStandardIaAfter30DaysToGlacierInstantRetrievalAfter90AndExpireAfter400() {
        assertThat(rules(SynthesizedStacks.dev())).isEqualTo(List.of(Map.of(
                "Id", "cheaper-storage-then-expire",
                "Status", "Enabled",
                "Transitions", List.of(Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
                        Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 90)),
                "ExpirationInDays", 400,
                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 7))));
    }

    @Test
    void expiryComesFromTheStage() {
        assertThat(rules(SynthesizedStacks.loadTest()).toString()).contains("ExpirationInDays=730");
    }
}
