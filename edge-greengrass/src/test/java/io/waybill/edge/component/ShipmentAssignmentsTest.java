package io.waybill.edge.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.edge.component.ReeferEdgeComponent.Assignment;
import io.waybill.edge.component.ReeferEdgeComponent.AssignmentState;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.testing.FakeConfigSource;
import io.waybill.edge.testing.LogCapture;
import io.waybill.edge.testing.ManualSource;
import io.waybill.edge.testing.RecordingUplink;
import io.waybill.edge.trace.TraceSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipment assignment as a deployment's configuration merge delivers it: the component starts without one and
 * waits, takes one from a configuration update, starts a new trip on a reassignment, ignores an invalid SSCC. The
 * configuration comes through a fake of the component's own {@code ConfigSource} port; the expected summaries are
 * worked out by hand from the readings: a probe at 5.0 °C every 30 s gives 10 readings per 5-minute window and 60
 * per 30-minute summary (the heartbeat), no alert (2..8 °C).
 */
class ShipmentAssignmentsTest {
    private static final String THING = "reefer-assign-1";
    private static final String SSCC_A = "106141412345678908";
    /** 10614141234567891 + GS1 check digit 5 (3·1+1·9+3·8+1·7+3·6+... computed by hand, mod 10). */
    private static final String SSCC_B = "106141412345678915";
    /** SSCC_B with a wrong check digit. */
    private static final String SSCC_BAD = "106141412345678916";
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    /** The settings these tests run with: 30-minute summaries, fast retries; no shipment. */
    private static final String CONFIG = """
            {"thingName": "reefer-assign-1", "shipmentSscc": "", "summaryHeartbeat": "PT30M",
             "uplink": {"retryMinBackoff": "PT0.1S", "retryMaxBackoff": "PT0.5S"}}""";

    @TempDir
    Path tmp;
    private final RecordingUplink uplink = new RecordingUplink();
    private final ManualSource source = new ManualSource();
    private final FakeConfigSource configuration = new FakeConfigSource(CONFIG);
    private ReeferEdgeComponent component;
    private ShipmentAssignments assignments;
    private LogCapture log;

    private void start() throws Exception {
        log = LogCapture.of(ReeferEdgeComponent.class);
        EdgeComponentConfig config = EdgeComponentConfig.withoutShipment(configuration.read(), null);
        component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
        assignments = new ShipmentAssignments(configuration, component, null, null);
        assignments.start();
        component.start();
    }

    @AfterEach
    void stop() {
        if (assignments != null) {
            assignments.close();
        }
        if (component != null) {
            component.close();
        }
        if (log != null) {
            log.close();
        }
    }

    /** A probe at 5.0 °C every 30 s from {@code from} for {@code minutes}. */
    private static List<TraceSample> steady(Instant from, int minutes) {
        List<TraceSample> out = new ArrayList<>();
        for (int i = 0; i < minutes * 2; i++) {
            out.add(new TraceSample("ra", from.toEpochMilli() + i * 30_000L, 5.0));
        }
        return out;
    }

    private List<TemperatureObserved> summariesSent() throws Exception {
        component.close(); // ends the trip: its last period becomes a summary; drains
        List<EdgeMessage> messages = uplink.messages();
        assertThat(messages).allSatisfy(m -> assertThat(m.kind()).isEqualTo(EdgeMessage.Kind.SUMMARY));
        assertThat(messages).extracting(EdgeMessage::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, messages.size()).boxed().toList());
        return messages.stream().map(m -> (TemperatureObserved) m.payload()).toList();
    }

    @Test
    void componentStartsWithoutAShipmentWaitsAndDiscardsReadingsUntilAssigned() throws Exception {
        start();

        assertThat(component.assignment()).isEqualTo(new Assignment(AssignmentState.AWAITING_SHIPMENT, null));
        List<JsonNode> states = log.events(ReeferEdgeComponent.ASSIGNMENT_EVENT);
        assertThat(states).singleElement().satisfies(l -> {
            assertThat(l.path("state").asText()).isEqualTo("AWAITING_SHIPMENT");
            assertThat(l.path("thingName").asText()).isEqualTo(THING);
            assertThat(l.path("shipmentSscc").isNull()).isTrue();
        });
        source.feed(steady(T0, 60));

        assertThat(component.stats().readingsUnassigned()).isEqualTo(120);
        assertThat(component.stats().readings()).isZero();
        assertThat(log.events("readingsDiscarded")).isNotEmpty();
        assertThat(summariesSent()).as("nothing is any shipment's evidence").isEmpty();
    }

    @Test
    void assignmentDeliveredAsAConfigurationUpdateStartsATripWhoseReadingsCarryTheShipment() throws Exception {
        start();
        source.feed(steady(T0, 30)); // before the assignment: discarded

        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        assertThat(component.assignment()).isEqualTo(new Assignment(AssignmentState.ASSIGNED, SSCC_A));
        assertThat(log.events(ReeferEdgeComponent.ASSIGNMENT_EVENT)).last()
                .satisfies(l -> assertThat(l.path("state").asText()).isEqualTo("ASSIGNED"))
                .satisfies(l -> assertThat(l.path("shipmentSscc").asText()).isEqualTo(SSCC_A));
        source.feed(steady(T0.plus(Duration.ofMinutes(30)), 60));

        List<TemperatureObserved> summaries = summariesSent();
        assertThat(component.stats().readingsUnassigned()).isEqualTo(60);
        assertThat(summaries).extracting(TemperatureObserved::shipmentSscc).containsOnly(SSCC_A);
        assertThat(summaries).extracting(TemperatureObserved::readingCount).containsExactly(60, 60);
        assertThat(summaries.get(0).windowStart()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void reassignmentEndsTheFirstTripBeforeTheSecondStartsAndNoSummaryHoldsReadingsOfBoth() throws Exception {
        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        start();
        assertThat(component.assignment().shipmentSscc()).isEqualTo(SSCC_A);
        Instant handover = T0.plus(Duration.ofMinutes(100)); // mid-period: A's last summary is a partial one
        source.feed(steady(T0, 100));

        configuration.merge("{\"shipmentSscc\": \"" + SSCC_B + "\", \"productBand\": {\"name\": \"pharma-2-8\","
                + " \"minCelsius\": 2, \"maxCelsius\": 8, \"sensitivity\": \"HIGH\"}}");
        assertThat(component.assignment()).isEqualTo(new Assignment(AssignmentState.ASSIGNED, SSCC_B));
        assertThat(log.events(ReeferEdgeComponent.ASSIGNMENT_EVENT)).last().satisfies(l -> {
            assertThat(l.path("previousShipmentSscc").asText()).isEqualTo(SSCC_A);
            assertThat(l.path("productBand").asText()).isEqualTo("pharma-2-8");
        });
        source.feed(steady(handover, 50));

        List<TemperatureObserved> summaries = summariesSent();
        // A: 00:00-00:30, 00:30-01:00, 01:00-01:30 (60 each) and the partial 01:30-01:40 (20), sent at the handover;
        // B: from 01:40, the rest of that period (01:40-02:00, 40), then 02:00-02:30 (60) at shutdown
        assertThat(summaries).extracting(TemperatureObserved::shipmentSscc)
                .containsExactly(SSCC_A, SSCC_A, SSCC_A, SSCC_A, SSCC_B, SSCC_B);
        assertThat(summaries).extracting(TemperatureObserved::readingCount).containsExactly(60, 60, 60, 20, 40, 60);
        assertThat(summaries).filteredOn(s -> s.shipmentSscc().equals(SSCC_A))
                .allSatisfy(s -> assertThat(s.windowEnd()).isBeforeOrEqualTo(handover));
        assertThat(summaries).filteredOn(s -> s.shipmentSscc().equals(SSCC_B))
                .allSatisfy(s -> assertThat(s.windowStart()).isAfterOrEqualTo(handover));
    }

    @Test
    void invalidSsccInAnUpdateIsLoggedAndIgnoredAndTheOldAssignmentStays() throws Exception {
        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        start();
        LogCapture rejections = LogCapture.of(ShipmentAssignments.class);
        try {
            source.feed(steady(T0, 30));

            configuration.merge("{\"shipmentSscc\": \"" + SSCC_BAD + "\"}");

            assertThat(component.assignment()).isEqualTo(new Assignment(AssignmentState.ASSIGNED, SSCC_A));
            assertThat(rejections.events("shipmentAssignmentRejected")).singleElement().satisfies(l -> {
                assertThat(l.path("shipmentSscc").asText()).isEqualTo(SSCC_BAD);
                assertThat(l.path("keeps").asText()).isEqualTo(SSCC_A);
            });
            source.feed(steady(T0.plus(Duration.ofMinutes(30)), 30));
        } finally {
            rejections.close();
        }
        List<TemperatureObserved> summaries = summariesSent();
        assertThat(summaries).extracting(TemperatureObserved::shipmentSscc).containsExactly(SSCC_A, SSCC_A);
        assertThat(summaries).extracting(TemperatureObserved::readingCount).containsExactly(60, 60);
    }

    @Test
    void mergeOfOtherKeysOrTheSameShipmentAgainDoesNotEndTheTrip() throws Exception {
        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        start();
        source.feed(steady(T0, 20));

        configuration.merge("{\"windowLength\": \"PT10M\"}");
        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        source.feed(steady(T0.plus(Duration.ofMinutes(20)), 10));

        assertThat(summariesSent()).extracting(TemperatureObserved::readingCount).containsExactly(60);
    }

    @Test
    void emptyShipmentEndsTheTripAndTheComponentWaitsAgain() throws Exception {
        configuration.merge("{\"shipmentSscc\": \"" + SSCC_A + "\"}");
        start();
        source.feed(steady(T0, 40));

        configuration.merge("{\"shipmentSscc\": \"\"}");
        assertThat(component.assignment().state()).isEqualTo(AssignmentState.AWAITING_SHIPMENT);
        source.feed(steady(T0.plus(Duration.ofMinutes(40)), 10));

        assertThat(component.stats().readingsUnassigned()).isEqualTo(20);
        assertThat(summariesSent()).extracting(TemperatureObserved::readingCount).containsExactly(60, 20);
    }

    @Test
    void commandLineShipmentIsTheInitialAssignmentAndALaterConfigurationChangeReplacesIt() throws Exception {
        log = LogCapture.of(ReeferEdgeComponent.class);
        component = new ReeferEdgeComponent(EdgeComponentConfig.withoutShipment(configuration.read(), null),
                tmp.resolve("spool"), source, uplink);
        assignments = new ShipmentAssignments(configuration, component, null, SSCC_A);
        assignments.start();
        assertThat(component.assignment().shipmentSscc()).isEqualTo(SSCC_A);

        configuration.merge("{\"shipmentSscc\": \"" + SSCC_B + "\"}");

        assertThat(component.assignment().shipmentSscc()).isEqualTo(SSCC_B);
    }
}
