package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code waybill-plan} master-data format (events-samples/README.md). The accepted sample's canonical form is
 * checked field by field by {@code SampleNormalizationTest}; here: what it must refuse, and where the producer comes
 * from.
 */
class WaybillPlanAdapterTest {
    private final RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(),
            NormalizerConfig.defaults(), Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));

    private static ObjectNode plan() {
        return (ObjectNode) SampleCatalog.json("raw/waybill-plan/planned.json");
    }

    private NormalizationResult normalise(ObjectNode raw) {
        return normalizer.normalize(RawRecord.of(raw.toString().getBytes(StandardCharsets.UTF_8), "test"));
    }

    private CanonicalEvent accepted(ObjectNode raw) {
        NormalizationResult r = normalise(raw);
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Normalized.class);
        return ((NormalizationResult.Normalized) r).event();
    }

    private void rejected(Consumer<ObjectNode> change, RejectionReason reason, String detail) {
        ObjectNode raw = plan();
        change.accept(raw);
        NormalizationResult r = normalise(raw);
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Rejected.class);
        NormalizationResult.Rejected rejected = (NormalizationResult.Rejected) r;
        assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
        assertThat(rejected.detail()).contains(detail);
    }

    @Test
    void aPlanIsAPartnerMessageNotADevicesOne() {
        assertThat(AdapterRegistry.standard().require("waybill-plan").device()).isFalse();
    }

    @Test
    void theProducerIsTheRoutesPartnerWhateverThePayloadSays() {
        ObjectNode raw = plan();
        raw.put("wb_route", "waybill-plan/OPS-DESK");
        raw.put("producer", "ACME-TMS"); // not a field of the format: ignored, never an identity

        CanonicalEvent e = accepted(raw);

        assertThat(e.source()).isEqualTo("urn:waybill:waybill-plan:OPS-DESK");
        assertThat(e.id()).isEqualTo("PLN-20261127-0042-r2");
    }

    @Test
    void eachRevisionIsItsOwnEventAndTheIssueTimeIsTheEventTime() {
        ObjectNode raw = plan();
        raw.put("revision", 3).put("issuedAt", "2026-11-26T18:30:00Z").put("productClass", "frozen");
        raw.put("wb_received_ms", 1_795_717_801_000L); // 18:30:01Z

        CanonicalEvent e = accepted(raw);

        assertThat(e.id()).isEqualTo("PLN-20261127-0042-r3");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-26T18:30:00Z"));
        assertThat(((ShipmentPlanned) e.data()).productClass()).isEqualTo("frozen");
    }

    @Test
    void devicesAreSortedAndDeduplicatedAndMayBeLeftOut() {
        ObjectNode raw = plan();
        raw.putArray("monitoringDevices").add("reefer-07").add("IMEI-356938035643809").add("reefer-07");
        // "I" (0x49) sorts before "r" (0x72)
        assertThat(((ShipmentPlanned) accepted(raw).data()).monitoringDevices())
                .containsExactly("IMEI-356938035643809", "reefer-07");

        ObjectNode none = plan();
        none.remove("monitoringDevices");
        none.remove("shipper");
        none.remove("consignee");
        none.remove("plannedDeparture");
        ShipmentPlanned data = (ShipmentPlanned) accepted(none).data();
        assertThat(data.monitoringDevices()).isEmpty();
        assertThat(data.shipperGln()).isNull();
        assertThat(data.plannedDeparture()).isNull();
        assertThat(data.plannedArrival()).isEqualTo(Instant.parse("2026-11-28T14:30:00Z"));
    }

    @Test
    void anArrivalBeforeTheDepartureIsImpossible() {
        rejected(r -> r.put("plannedArrival", "2026-11-27T07:59:59Z"), RejectionReason.IMPOSSIBLE_VALUE,
                "plannedArrival");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "productClass, MISSING_FIELD, productClass",
            "origin, MISSING_FIELD, origin.gln",
            "destination, MISSING_FIELD, destination.gln",
            "planId, MISSING_FIELD, planId",
            "revision, MISSING_FIELD, revision",
            "issuedAt, MISSING_FIELD, issuedAt",
            "sscc, MISSING_FIELD, sscc"})
    void aRequiredFieldLeftOutIsRejectedByName(String field, RejectionReason reason, String detail) {
        rejected(r -> r.remove(field), reason, detail);
    }

    @Test
    void identitiesAreCheckedLikeEveryAdapters() {
        // 0614141000013: the GLN 0614141000012 with a wrong check digit
        rejected(r -> r.with("destination").put("gln", "0614141000013"), RejectionReason.INVALID_IDENTITY,
                "destination.gln");
        rejected(r -> r.with("consignee").put("gln", "0614141000013"), RejectionReason.INVALID_IDENTITY,
                "consignee.gln");
        rejected(r -> r.put("sscc", "106141412345678907"), RejectionReason.INVALID_IDENTITY, "sscc");
    }

    @Test
    void aProductClassNameOutsideTheCatalogsAlphabetIsRejectedButAnUnknownWellFormedOneIsKept() {
        rejected(r -> r.put("productClass", "chilled biologics"), RejectionReason.IMPOSSIBLE_VALUE, "productClass");
        rejected(r -> r.put("productClass", "-frozen"), RejectionReason.IMPOSSIBLE_VALUE, "productClass");
        // not in any catalog: the plan stands as sent; the cold chain judges the shipment UNCLASSIFIED
        ObjectNode raw = plan();
        raw.put("productClass", "Deep-Frozen-70");
        assertThat(((ShipmentPlanned) accepted(raw).data()).productClass()).isEqualTo("deep-frozen-70");
    }

    @Test
    void devicesMustBeAListOfThingNames() {
        rejected(r -> r.put("monitoringDevices", "reefer-07"), RejectionReason.IMPOSSIBLE_VALUE, "monitoringDevices");
        rejected(r -> r.putArray("monitoringDevices").add("reefer 07"), RejectionReason.IMPOSSIBLE_VALUE,
                "monitoringDevices[0]");
        rejected(r -> r.putArray("monitoringDevices").add(7), RejectionReason.MISSING_FIELD, "monitoringDevices[0]");
        rejected(r -> {
            var list = r.putArray("monitoringDevices");
            for (int i = 0; i < 101; i++) {
                list.add("TT-" + i);
            }
        }, RejectionReason.IMPOSSIBLE_VALUE, "101 devices");
    }

    @Test
    void aNegativeRevisionOrAPlanIdWithSlashesIsRejected() {
        rejected(r -> r.put("revision", -1), RejectionReason.IMPOSSIBLE_VALUE, "revision");
        rejected(r -> r.put("planId", "PLN/42"), RejectionReason.IMPOSSIBLE_VALUE, "planId");
    }

    @Test
    void anIssueTimeWithoutOffsetIsRejected() {
        rejected(r -> r.put("issuedAt", "2026-11-26T16:00:00"), RejectionReason.INVALID_TIME, "issuedAt");
    }

    @Test
    void theEventTypeIsRegistered() {
        assertThat(io.waybill.domain.event.EventType.fromType("waybill.shipment.planned.v1"))
                .hasValue(io.waybill.domain.event.EventType.SHIPMENT_PLANNED);
        assertThat(List.of(io.waybill.domain.event.EventType.values()))
                .contains(io.waybill.domain.event.EventType.SHIPMENT_PLANNED);
    }
}
