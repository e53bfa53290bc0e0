package io.waybill.aws.coldchain;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TimelineMark;
import io.waybill.domain.decision.EvidenceArrival;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamoDbEvidenceStore} on the local DynamoDB emulator: evidence is stored once and reported unapplied until
 * marked; the pieces around a late one are found along its probe's time line (applied ones only, the warmest of one
 * time last); the running exposure is written only over the version it was read at.
 */
@Timeout(60)
class DynamoDbEvidenceStoreOnEmulatorTest {
    private static final String TABLE = "exposure-store-test";
    private static final String SSCC = "106141412345678908";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static LocalAwsStack stack;
    private static DynamoDbEvidenceStore store;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(ColdChainTables.exposure(TABLE));
        store = new DynamoDbEvidenceStore(DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb())
                .build(), TABLE);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static EvidenceArrival reading(String probe, String id, long seconds, double celsius) {
        Instant t = T0.plusSeconds(seconds);
        return new EvidenceArrival(new ExposureEvidence(id, SSCC, probe, ExposureEvidence.Kind.POINT, t, t, celsius,
                0), null, null, null);
    }

    @Test
    void storedOnceUnappliedUntilMarkedAndNeighboursAlongTheProbesTimeLine() {
        List<EvidenceArrival> first = List.of(reading("p#1", "a", 0, 5.0), reading("p#1", "c", 600, 6.0),
                reading("p#1", "d", 600, 9.5), reading("p#1", "e", 1200, 7.0), reading("other", "x", 300, 5.0));
        assertThat(store.storeNew(SSCC, first)).extracting(ExposureEvidence::evidenceId)
                .containsExactly("a", "c", "d", "e", "x");
        // stored again before being marked: still unapplied (a crashed attempt), reported again
        assertThat(store.storeNew(SSCC, first.subList(0, 1))).extracting(ExposureEvidence::evidenceId)
                .containsExactly("a");
        store.markApplied(SSCC, first.stream().map(EvidenceArrival::evidence).filter(e -> !e.evidenceId().equals("e"))
                .toList(), T0);
        assertThat(store.storeNew(SSCC, first)).extracting(ExposureEvidence::evidenceId).containsExactly("e");

        // a late reading at 00:05 of probe "p#1" (a '#' in the probe id must not leak into the key's structure)
        TimelineMark late = TimelineMark.of(reading("p#1", "b", 300, 8.5).evidence());
        assertThat(store.nearest(SSCC, "p#1", late, true, id -> false)).map(TimelineMark::evidenceId).contains("a");
        // after it: both readings of 00:10, the cooler first on the time line
        assertThat(store.nearest(SSCC, "p#1", late, false, id -> false)).map(TimelineMark::evidenceId).contains("c");
        // after "d" (00:10, warmest): "e" is not applied, so nothing unless the caller says it is applied anyway
        TimelineMark d = TimelineMark.of(first.get(2).evidence());
        assertThat(store.nearest(SSCC, "p#1", d, false, id -> false)).isEmpty();
        assertThat(store.nearest(SSCC, "p#1", d, false, "e"::equals)).map(TimelineMark::evidenceId).contains("e");
        assertThat(store.loadAll(SSCC)).hasSize(5);
    }

    @Test
    void theRunningExposureIsWrittenOnlyOverTheVersionItWasReadAt() {
        String sscc = "106141412345678915";
        ShipmentExposure empty = ShipmentExposure.empty(sscc, "chilled-biologics-2-8");
        assertThat(store.saveExposure(empty, 0)).isTrue();
        assertThat(store.exposure(sscc)).map(ShipmentExposure::version).contains(1L);
        assertThat(store.saveExposure(empty, 0)).as("a second first write").isFalse();
        assertThat(store.saveExposure(empty.withApplied(List.of("a")), 1)).isTrue();
        assertThat(store.saveExposure(empty, 1)).as("a writer that read version 1 late").isFalse();
        assertThat(store.exposure(sscc).orElseThrow().recentlyApplied()).containsExactly("a");
        assertThat(store.exposure(sscc).orElseThrow().version()).isEqualTo(2);
    }
}
