package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.epcis.Gs1EpcisSchema;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill epcis} end to end: the sample records through {@code normalize}, its output through
 * {@code epcis}; the document validates against GS1's official schema and holds the events a small reference
 * model of the mapping table expects.
 */
class EpcisCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private static byte[] normalizedSamples() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NormalizeCommand(RecordNormalizer.standard())
                .run(new ByteArrayInputStream(SampleCatalog.bytes("normalize-input.jsonl")), out);
        return out.toByteArray();
    }

    /** The mapping table as a reference model: how many EPCIS events each normalized line must give. */
    private static int expectedEvents(List<JsonNode> lines) {
        int events = 0;
        Set<String> summarisedShipments = new HashSet<>();
        for (JsonNode line : lines) {
            if (line.path("rejected").asBoolean(false)) {
                continue;
            }
            JsonNode data = line.get("data");
            switch (line.get("type").asText()) {
                case "waybill.inventory.observed.v1" -> {
                    boolean pallet = false;
                    boolean items = false;
                    for (JsonNode epc : data.get("epcs")) {
                        pallet |= epc.asText().startsWith("urn:epc:id:sscc:");
                        items |= epc.asText().startsWith("urn:epc:id:sgtin:");
                    }
                    events += pallet && items ? 2 : 1;
                }
                case "waybill.shipment.departed.v1", "waybill.shipment.arrived.v1", "waybill.custody.transferred.v1",
                        "waybill.workorder.completed.v1", "waybill.temperature.breached.v1" -> events++;
                case "waybill.temperature.observed.v1" -> summarisedShipments.add(data.get("shipmentSscc").asText());
                default -> { }
            }
        }
        return events + summarisedShipments.size();
    }

    @Test
    void normalizedSamplesExportToOneDocumentValidAgainstGs1Schema() throws Exception {
        byte[] normalized = normalizedSamples();
        List<JsonNode> lines = new String(normalized, StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        long rejected = lines.stream().filter(l -> l.path("rejected").asBoolean(false)).count();
        assertThat(rejected).as("the samples include rejections to skip").isPositive();

        CliRun r = CliRun.of(root, normalized, "epcis");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Gs1EpcisSchema.violations(r.out())).isEmpty();
        JsonNode document = JSON.readTree(r.out());
        JsonNode events = document.at("/epcisBody/eventList");
        int mapped = expectedEvents(lines);
        // By inspection of the samples: the GPS tracker and the partner swiftlog both report SSCC
        // 106141412345678908 departing GLN 0614141000012 at 2026-11-27T08:01:00Z: the same EPCIS event, exported once.
        int duplicates = 1;
        int expected = mapped - duplicates;
        assertThat(expected).isPositive();
        assertThat(events.size()).isEqualTo(expected);
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.get("eventID").asText()));
        assertThat(ids).as("distinct event hashes").hasSize(expected);
        assertThat(r.err()).contains("epcis: " + expected + " EPCIS events from " + (lines.size() - rejected)
                + " canonical events; " + rejected + " rejection lines skipped; " + duplicates
                + " equal to an earlier event (same event hash) left out");
        long departures = 0;
        for (JsonNode e : events) {
            departures += "departing".equals(e.path("bizStep").asText()) ? 1 : 0;
        }
        assertThat(departures).isEqualTo(1);
    }

    @Test
    void theSameInputExportsTheSameEventIds() throws Exception {
        byte[] normalized = normalizedSamples();
        JsonNode first = JSON.readTree(CliRun.of(root, normalized, "epcis").out()).at("/epcisBody/eventList");
        JsonNode second = JSON.readTree(CliRun.of(root, normalized, "epcis").out()).at("/epcisBody/eventList");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aLineThatIsNeitherAnEventNorARejectionIsRefusedNamingIt() {
        CliRun r = CliRun.of(root, "{\"rejected\":true}\nnot json\n".getBytes(StandardCharsets.UTF_8), "epcis");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("epcis: line 2 is not JSON");
        assertThat(r.out()).isEmpty();
        assertThat(r.hasNoStackTrace()).isTrue();
    }

    @Test
    void unknownOptionIsAUsageErrorAndHelpWorks() {
        CliRun bogus = CliRun.of(root, "epcis", "--bogus");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.errLines().get(0)).isEqualTo("waybill epcis: Unknown option: '--bogus'");
        CliRun help = CliRun.of(root, "epcis", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).containsIgnoringCase("usage: ");
    }
}
