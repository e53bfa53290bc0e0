package io.waybill.domain.adapter;

import io.waybill.domain.event.CanonicalEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import io.waybill.schemas.EventContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class WaybillEdgeAdapterTest {
    private static final String THING = "reefer-07";
    private final WaybillEdgeAdapter adapter = new WaybillEdgeAdapter();
    private final RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(),
            NormalizerConfig.defaults(), Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));

    private static ObjectNode summary() {
        return (ObjectNode) SampleCatalog.json("raw/waybill-edge/summary.json");
    }

    private static ObjectNode alert() {
        return (ObjectNode) SampleCatalog.json("raw/waybill-edge/alert-started.json");
    }

    private static ObjectNode jamDetected() {
        return (ObjectNode) SampleCatalog.json("raw/waybill-edge/conveyor-jam-detected.json");
    }

    private static ObjectNode jamCleared() {
        return (ObjectNode) SampleCatalog.json("raw/waybill-edge/conveyor-jam-cleared.json");
    }

    private static final String HUB = "dc-hamburg-01";

    private AdaptedEvent adapt(ObjectNode raw) {
        return adapter.adapt(new VendorPayload(raw), THING);
    }

    private static ObjectNode with(ObjectNode raw, Consumer<ObjectNode> change) {
        change.accept(raw);
        return raw;
    }

    @Test
    void isRegisteredUnderTheEdgeTopicsAdapterId() {
        assertThat(AdapterRegistry.standard().require("waybill-edge")).isInstanceOf(WaybillEdgeAdapter.class);
    }

    @Test
    void summaryBecomesTemperatureObservedWithDeviceTimeAndSequence() {
        AdaptedEvent e = adapt(summary());

        // the sample's exposure leaves out its zero counters (unknownMillis, belowMillis, degreeMinutesBelow): 0
        assertThat(e.data()).isEqualTo(new TemperatureObserved("106141410000000729", "reefer-07-ra",
                Instant.parse("2026-03-03T08:00:00Z"), Instant.parse("2026-03-03T15:59:30Z"), 4.5, 10.95, 5.48, 960,
                null, new ExposureStatistics(2.0, 8.0, 120, 28_800_000, 0, 2_370_000, 0, 79.0, 0.0,
                        7.589242061e-12)));
        assertThat(e.deviceTime()).isEqualTo(Instant.parse("2026-03-03T15:59:30Z"));
        assertThat(e.sequence()).isEqualTo(6L);
        assertThat(e.vendorMessageId()).as("no message id: the normaliser derives one").isNull();
    }

    @Test
    void theComponentsEmissionTimeBecomesTheEdgeTimeAndIsOptional() {
        ObjectNode withEdgeTime = summary();
        withEdgeTime.put("edgeTime", "2026-03-03T15:59:30.250+01:00");

        assertThat(adapt(withEdgeTime).edgeTime()).isEqualTo(Instant.parse("2026-03-03T14:59:30.250Z"));
        assertThat(adapt(summary()).edgeTime()).isNull();
    }

    @Test
    void alertBecomesTemperatureBreachedCarryingTheEdgeSeverity() {
        AdaptedEvent e = adapt(alert());

        assertThat(e.data()).isEqualTo(new TemperatureBreached("106141410000000729", "reefer-07-ra", 10.9, 8.0,
                TemperatureBreached.Limit.UPPER, 300L, 27, null));
        assertThat(e.deviceTime()).isEqualTo(Instant.parse("2026-03-03T09:06:00Z"));
        assertThat(e.sequence()).isEqualTo(4L);
    }

    @Test
    void messageResentFromTheSpoolIsTheSameEventEvenWithANewSendStamp() {
        ObjectNode first = with(summary(), r -> r.put("sentTime", "2026-03-03T09:08:00Z"));
        ObjectNode resent = with(summary(), r -> {
            r.put("wb_received_ms", r.path("wb_received_ms").asLong() + 3_600_000);
            r.put("sentTime", "2026-03-03T10:08:00Z");
        });

        NormalizationResult.Normalized a = (NormalizationResult.Normalized) normalizer.normalize(record(first));
        NormalizationResult.Normalized b = (NormalizationResult.Normalized) normalizer.normalize(record(resent));

        assertThat(b.event().id()).isEqualTo(a.event().id()).isEqualTo("seq-6");
        assertThat(b.event().contenthash()).isEqualTo(a.event().contenthash());
        assertThat(b.event().sequence()).isEqualTo(6L);
        // The same sequence number with another reading (a counter reset): same id, other content, an id conflict.
        ObjectNode next = with(summary(), r -> r.with("payload").put("meanCelsius", 5.49));
        CanonicalEvent other = ((NormalizationResult.Normalized) normalizer.normalize(record(next))).event();
        assertThat(other.id()).isEqualTo(a.event().id());
        assertThat(other.contenthash()).as("a different summary is different content").isNotEqualTo(a.event().contenthash());
    }

    @Test
    void ssccIsCheckedAndAnyGs1FormIsAccepted() {
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("shipmentSscc", "106141410000000728"))),
                RejectionReason.INVALID_IDENTITY).contains("payload.shipmentSscc");
        AdaptedEvent urn = adapt(with(alert(), r -> r.with("payload").put("shipmentSscc",
                "urn:epc:id:sscc:0614141.1000000072")));
        assertThat(urn.data().subject()).isEqualTo("106141410000000729");
    }

    @Test
    void implausibleTemperaturesAreRejected() {
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("maxCelsius", 185.0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.maxCelsius");
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("meanCelsius", 12.0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("inconsistent");
        assertRejected(() -> adapt(with(alert(), r -> r.with("payload").put("observedCelsius", 7.5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("not beyond the UPPER limit");
    }

    @Test
    void envelopeBreachesAreRejectedWithTheirPath() {
        assertRejected(() -> adapt(with(summary(), r -> r.put("kind", "JAM"))), RejectionReason.UNKNOWN_CODE)
                .contains("kind 'JAM'");
        assertRejected(() -> adapt(with(summary(), r -> r.remove("deviceTime"))), RejectionReason.MISSING_FIELD)
                .contains("deviceTime");
        assertRejected(() -> adapt(with(summary(), r -> r.put("deviceTime", "2026-03-03T15:59:30"))),
                RejectionReason.INVALID_TIME);
        assertRejected(() -> adapt(with(summary(), r -> r.put("sequence", -1))), RejectionReason.IMPOSSIBLE_VALUE)
                .contains("sequence");
        assertRejected(() -> adapt(with(alert(), r -> r.put("severity", 140))), RejectionReason.IMPOSSIBLE_VALUE)
                .contains("severity");
        assertRejected(() -> adapt(with(alert(), r -> r.with("payload").put("limit", "SIDEWAYS"))),
                RejectionReason.UNKNOWN_CODE).contains("payload.limit");
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("windowStart", "2026-03-03T16:00:00Z"))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("windowEnd is before");
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("readingCount", 0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("readingCount");
        assertRejected(() -> adapt(with(summary(), r -> r.set("excursion", alert().get("excursion")))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("ALERT");
    }

    @Test
    void messageClaimingAnotherThingIsRejected() {
        assertRejected(() -> adapter.adapt(new VendorPayload(summary()), "reefer-08"), RejectionReason.IDENTITY_MISMATCH)
                .isEqualTo("deviceId 'reefer-07' is not the publishing thing 'reefer-08'");
        ObjectNode rerouted = with(summary(), r -> r.put("wb_route", "waybill-edge/reefer-08"));
        NormalizationResult result = normalizer.normalize(record(rerouted));
        assertThat(result).isInstanceOf(NormalizationResult.Rejected.class);
        assertThat(((NormalizationResult.Rejected) result).reason()).isEqualTo(RejectionReason.IDENTITY_MISMATCH);
    }

    private static ObjectNode exposure(ObjectNode raw) {
        return raw.with("payload").with("exposure");
    }

    @Test
    void aSummaryWithoutExposureIsReadAsBefore() {
        TemperatureObserved older = (TemperatureObserved) adapt(with(summary(), r -> {
            r.with("payload").remove("exposure");
            r.put("severity", 0);
        })).data();

        assertThat(older.exposure()).isNull();
        assertThat(older.meanCelsius()).isEqualTo(5.48);
    }

    @Test
    void anExposureWithEveryFieldAndAnOpenSideIsAccepted() {
        ObjectNode frozen = with(summary(), r -> {
            ObjectNode x = exposure(r);
            x.remove("bandLowCelsius");
            x.put("bandHighCelsius", -18.0);
            x.put("unknownMillis", 600_000).put("belowMillis", 0).put("degreeMinutesBelow", 0.0);
            x.put("observedMillis", "28200000"); // numbers may arrive as strings, as everywhere in the adapters
        });

        ExposureStatistics e = ((TemperatureObserved) adapt(frozen).data()).exposure();

        assertThat(e).isEqualTo(new ExposureStatistics(null, -18.0, 120, 28_200_000, 600_000, 2_370_000, 0, 79.0,
                0.0, 7.589242061e-12));
    }

    @Test
    void anImpossibleExposureIsRejectedWithItsPath() {
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("unknownMillis", -1))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.unknownMillis -1 is negative");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("aboveMillis", -5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.aboveMillis");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("degreeMinutesAbove", -0.5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.degreeMinutesAbove");
        // 2,370,000 above + 26,500,000 below = 28,870,000 > 28,800,000 observed
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("belowMillis", 26_500_000))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("exceed observedMillis 28800000");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("arrheniusSum", "NaN"))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.arrheniusSum");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("arrheniusSum", new java.math.BigDecimal("1e400")))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.arrheniusSum");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("observedMillis", 28_800_000.5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure.observedMillis");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("maxGapSeconds", 0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("maxGapSeconds 0");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).remove(java.util.List.of("bandLowCelsius",
                "bandHighCelsius")))), RejectionReason.IMPOSSIBLE_VALUE).contains("neither bandLowCelsius");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("bandLowCelsius", 8.0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("is not below bandHighCelsius");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).remove("bandHighCelsius"))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("without a high bound");
        // 8 h window (08:00 to 15:59:30 = 28,770,000 ms) but only 28,000,000 ms observed and none unknown
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).put("observedMillis", 28_000_000))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("do not cover the window of 28770000 ms");
        assertRejected(() -> adapt(with(summary(), r -> r.with("payload").put("exposure", 5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.exposure is not an object");
        assertRejected(() -> adapt(with(summary(), r -> exposure(r).remove("observedMillis"))),
                RejectionReason.MISSING_FIELD).contains("payload.exposure.observedMillis");
    }

    @Test
    void theNormalisedSummaryCarriesEveryExposureFieldSatisfiesTheContractAndReadsBack() {
        NormalizationResult.Normalized n = (NormalizationResult.Normalized) normalizer.normalize(record(summary()));

        assertThat(EventContract.instance().violations(n.json())).isEmpty();
        ObjectNode exposure = (ObjectNode) CanonicalEventJson.toJson(n.event()).path("data").path("exposure");
        assertThat(exposure.fieldNames()).toIterable().containsExactly("bandLowCelsius", "bandHighCelsius",
                "maxGapSeconds", "observedMillis", "unknownMillis", "aboveMillis", "belowMillis",
                "degreeMinutesAbove", "degreeMinutesBelow", "arrheniusSum");
        assertThat(CanonicalEventJson.fromJson(CanonicalEventJson.toJson(n.event())).data())
                .isEqualTo(n.event().data());

        ObjectNode frozen = with(summary(), r -> exposure(r).remove("bandLowCelsius"));
        NormalizationResult.Normalized f = (NormalizationResult.Normalized) normalizer.normalize(record(frozen));
        assertThat(EventContract.instance().violations(f.json())).isEmpty();
        assertThat(CanonicalEventJson.toJson(f.event()).path("data").path("exposure").has("bandLowCelsius"))
                .as("an open side is omitted, never null").isFalse();
        assertThat(CanonicalEventJson.fromJson(CanonicalEventJson.toJson(f.event())).data())
                .isEqualTo(f.event().data());
    }

    private static RawRecord record(ObjectNode raw) {
        return RawRecord.of(raw.toString().getBytes(StandardCharsets.UTF_8), "t");
    }

    private AdaptedEvent adaptJam(ObjectNode raw) {
        return adapter.adapt(new VendorPayload(raw), HUB);
    }

    @Test
    void conveyorJamDetectedAlertBecomesConveyorJammedAboutTheEquipment() {
        AdaptedEvent e = adaptJam(jamDetected());

        assertThat(e.data()).isEqualTo(new ConveyorJammed(HUB, "sorter-3-drive-2", "4012345000009",
                ConveyorJammed.Phase.DETECTED, Instant.parse("2026-03-02T07:09:59Z"),
                Instant.parse("2026-03-02T07:10:04Z"), null, 6, ConveyorJammed.SignalUnit.A, 6.043, 4.0139, 0.0766,
                26.48, null, 42));
        assertThat(e.data().subject()).isEqualTo("urn:waybill:equipment:dc-hamburg-01:sorter-3-drive-2");
        assertThat(e.deviceTime()).isEqualTo(Instant.parse("2026-03-02T07:10:04Z"));
        assertThat(e.sequence()).isEqualTo(0L);
        assertThat(e.vendorMessageId()).as("no message id: the normaliser derives one").isNull();
    }

    @Test
    void conveyorJamClearedAlertCarriesTheJamsEndAndDuration() {
        ConveyorJammed cleared = (ConveyorJammed) adaptJam(jamCleared()).data();

        assertThat(cleared.phase()).isEqualTo(ConveyorJammed.Phase.CLEARED);
        assertThat(cleared.clearedTime()).isEqualTo(Instant.parse("2026-03-02T07:11:30Z"));
        assertThat(cleared.durationSeconds()).isEqualTo(91L);
        assertThat(cleared.onsetTime()).isEqualTo(((ConveyorJammed) adaptJam(jamDetected()).data()).onsetTime());
        assertThat(cleared.edgeSeverity()).isEqualTo(61);
    }

    @Test
    void normalisedConveyorJamsSatisfyTheContractAndGoUnderTheirOwnType() {
        for (ObjectNode raw : new ObjectNode[] {jamDetected(), jamCleared()}) {
            NormalizationResult.Normalized n = (NormalizationResult.Normalized) normalizer.normalize(record(raw));

            assertThat(n.event().type()).isEqualTo("waybill.conveyor.jammed.v1");
            assertThat(n.event().subject()).isEqualTo("urn:waybill:equipment:dc-hamburg-01:sorter-3-drive-2");
            assertThat(n.event().source()).isEqualTo("urn:waybill:waybill-edge:dc-hamburg-01");
            assertThat(EventContract.instance().violations(n.json())).isEmpty();
            assertThat(CanonicalEventJson.fromJson(CanonicalEventJson.toJson(n.event())).data())
                    .isEqualTo(n.event().data());
        }
        ObjectNode missing = CanonicalEventJson.toJson(((NormalizationResult.Normalized) normalizer
                .normalize(record(jamDetected()))).event());
        ((ObjectNode) missing.get("data")).remove("signalUnit");
        assertThat(EventContract.instance().violations(missing)).singleElement().asString()
                .contains("required property 'signalUnit' not found");
    }

    @Test
    void conveyorJamBreachesAreRejectedWithTheirPath() {
        assertRejected(() -> adapt(jamDetected()), RejectionReason.IDENTITY_MISMATCH)
                .isEqualTo("deviceId 'dc-hamburg-01' is not the publishing thing 'reefer-07'");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("edgeDeviceId", "dc-berlin-01"))),
                RejectionReason.IDENTITY_MISMATCH)
                .isEqualTo("payload.edgeDeviceId 'dc-berlin-01' is not the publishing thing 'dc-hamburg-01'");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("phase", "STUCK"))),
                RejectionReason.UNKNOWN_CODE).contains("payload.phase 'STUCK'");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("signalUnit", "mA"))),
                RejectionReason.UNKNOWN_UNIT).contains("payload.signalUnit");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").remove("signalValue"))),
                RejectionReason.MISSING_FIELD).contains("payload.signalValue");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("facilityGln", "4012345000008"))),
                RejectionReason.INVALID_IDENTITY).contains("payload.facilityGln");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("durationSeconds", 5))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("belong to CLEARED");
        assertRejected(() -> adaptJam(with(jamCleared(), r -> r.with("payload").remove("clearedTime"))),
                RejectionReason.MISSING_FIELD).contains("payload.clearedTime");
        assertRejected(() -> adaptJam(with(jamCleared(), r -> r.with("payload").put("durationSeconds", 60))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("clearedTime - onsetTime");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("onsetTime",
                "2026-03-02T07:10:05Z"))), RejectionReason.IMPOSSIBLE_VALUE).contains("before payload.onsetTime");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("zScore", 3.0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.zScore");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("sigmaValue", 0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.sigmaValue");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.with("payload").put("samplesToDetect", 0))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("payload.samplesToDetect");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.put("severity", 43))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("not the message's severity 43");
        assertRejected(() -> adaptJam(with(jamDetected(), r -> r.set("excursion", alert().get("excursion")))),
                RejectionReason.IMPOSSIBLE_VALUE).contains("excursion");
    }

    @Test
    void conveyorJamWithoutFacilityIsAccepted() {
        ConveyorJammed jam = (ConveyorJammed) adaptJam(with(jamDetected(), r -> r.with("payload")
                .remove("facilityGln"))).data();
        assertThat(jam.facilityGln()).isNull();
        assertThat(CanonicalEventJson.dataJson(jam).has("facilityGln")).isFalse();
    }
}
