package io.waybill.domain.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SampleNormalizationTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final RecordNormalizer normalizer = new RecordNormalizer(io.waybill.domain.adapter.AdapterRegistry.standard(),
            NormalizerConfig.builder().clockSkewPolicy(io.waybill.domain.time.ClockSkewPolicy.defaults()).build(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    static List<SampleCatalog.ValidCase> validCases() {
        return SampleCatalog.valid();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void everyVendorSampleBecomesItsDocumentedCanonicalEvent(SampleCatalog.ValidCase sample) throws Exception {
        NormalizationResult result = normalizer.normalize(RawRecord.of(sample.compactRaw(), sample.name()));

        assertThat(result).as("%s: %s", sample.name(), result).isInstanceOf(NormalizationResult.Normalized.class);
        ObjectNode actual = (ObjectNode) CanonicalEventJson.MAPPER.readTree(((NormalizationResult.Normalized) result).json());
        assertThat(actual.path("processingtime").asText()).isEqualTo(NOW.toString());
        ObjectNode comparable = actual.deepCopy();
        comparable.remove("processingtime");
        JsonNode expected = sample.canonical();
        if (!expected.has("id")) {
            assertThat(UUID.fromString(actual.path("id").asText()).version()).as("derived id is a UUID v8").isEqualTo(8);
            comparable.remove("id");
        }
        assertThat(comparable).isEqualTo(expected);
    }

    @Test
    void resentReadingWithoutMessageIdGetsTheSameDerivedId() {
        SampleCatalog.ValidCase thermo = SampleCatalog.valid().stream()
                .filter(c -> c.name().equals("thermotrack/window-summary")).findFirst().orElseThrow();
        NormalizationResult.Normalized first = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(thermo.raw(), "a"));
        // A resend arrives later at the broker: the arrival time differs, the reading does not.
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/thermotrack/window-summary.json");
        raw.put("wb_received_ms", raw.path("wb_received_ms").asLong() + 60_000);
        NormalizationResult.Normalized second = (NormalizationResult.Normalized)
                normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "b"));

        assertThat(second.event().id()).isEqualTo(first.event().id());
        assertThat(second.event().eventKey()).isEqualTo(first.event().eventKey());
    }

    @Test
    void differentReadingFromTheSameDeviceGetsADifferentIdWhenTheIdIsDerivedFromTheMessage() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/gps-tracker/ping.json");
        NormalizationResult.Normalized first = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "a"));
        raw.with("fix").put("lat", 51.5);
        NormalizationResult.Normalized second = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "b"));

        assertThat(second.event().id()).isNotEqualTo(first.event().id());
        assertThat(second.event().contenthash()).isNotEqualTo(first.event().contenthash());
    }

    @Test
    void aSequenceNumberReusedForAnotherReadingKeepsTheIdAndChangesTheContentHash() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/thermotrack/window-summary.json");
        NormalizationResult.Normalized first = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "a"));
        raw.put("t_avg_f", "38.5");
        NormalizationResult.Normalized second = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "b"));

        assertThat(second.event().id()).isEqualTo(first.event().id()).isEqualTo("seq-118");
        assertThat(second.event().contenthash()).isNotEqualTo(first.event().contenthash());
    }

    @Test
    void fieldOrderAndNumberSpellingDoNotChangeTheIdOrContentHash() {
        String a = "{\"wb_route\":\"gps-tracker/IMEI-356938035643809\",\"wb_received_ms\":1795773600500,"
                + "\"imei\":\"356938035643809\",\"sscc\":\"106141412345678908\",\"evt\":\"PING\","
                + "\"fix\":{\"lat\":51.44164,\"lon\":5.46972,\"acc_m\":9,\"ts\":1795773600}}";
        String b = "{\"fix\":{\"ts\":1795773600,\"acc_m\":9.0,\"lon\":5.46972e0,\"lat\":51.441640},"
                + "\"evt\":\"PING\",\"sscc\":\"106141412345678908\",\"imei\":\"356938035643809\","
                + "\"wb_received_ms\":1795773609999,\"wb_route\":\"gps-tracker/IMEI-356938035643809\"}";
        CanonicalEvent x = ((NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(a.getBytes(), "a"))).event();
        CanonicalEvent y = ((NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(b.getBytes(), "b"))).event();
        assertThat(y.id()).isEqualTo(x.id());
        assertThat(y.contenthash()).isEqualTo(x.contenthash());
    }

    @Test
    void deviceClockFarAheadIsFlaggedAndEventTimeFallsBackToBrokerTime() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json");
        long broker = raw.path("wb_received_ms").asLong();
        raw.with("reading").put("at", broker + 3_600_000); // device clock one hour ahead

        NormalizationResult.Normalized n = (NormalizationResult.Normalized) normalizer.normalize(RawRecord.of(raw.toString().getBytes(), "skew"));

        assertThat(n.event().clockskewed()).isTrue();
        assertThat(n.event().clockskewms()).isEqualTo(-3_600_000);
        assertThat(n.event().devicetime()).isEqualTo(Instant.ofEpochMilli(broker + 3_600_000));
        assertThat(n.event().time()).isEqualTo(Instant.ofEpochMilli(broker));
    }

    @Test
    void withoutBrokerTimeTheStreamArrivalIsTheSkewReference() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json");
        raw.remove("wb_received_ms");
        long at = raw.path("reading").path("at").asLong();
        Instant arrival = Instant.ofEpochMilli(at + 1_500);
        RawRecord record = new RawRecord(raw.toString().getBytes(), new RecordOrigin("s", "shardId-0", "1", "CC-0009"), arrival);

        NormalizationResult.Normalized n = (NormalizationResult.Normalized) normalizer.normalize(record);

        assertThat(n.event().streamtime()).isEqualTo(arrival);
        assertThat(n.event().clockskewms()).isEqualTo(1_500);
        assertThat(n.event().clockskewed()).isFalse();
    }
}
