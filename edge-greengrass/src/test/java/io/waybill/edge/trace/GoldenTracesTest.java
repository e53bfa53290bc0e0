package io.waybill.edge.trace;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.waybill.edge.trace.GoldenTraces.TRIP_START;
import static org.assertj.core.api.Assertions.assertThat;

class GoldenTracesTest {
    private final ReeferTrace trip = GoldenTraces.reeferTrip();

    private static Map<String, String> fingerprints() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GoldenTracesTest.class.getResourceAsStream("/traces/golden-fingerprints.txt"),
                StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(" "))
                    .collect(Collectors.toMap(f -> f[0], f -> f[1] + " " + f[2]));
        }
    }

    private static String fingerprint(List<TraceSample> samples) throws Exception {
        byte[] csv = TraceWriter.toCsv(samples, true).getBytes(StandardCharsets.UTF_8);
        return samples.size() + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv));
    }

    @Test
    void goldenTracesAreBitForBitStable() throws Exception {
        assertThat(fingerprint(trip.samples())).isEqualTo(fingerprints().get("reefer-trip-48h"));
        assertThat(fingerprint(GoldenTraces.conveyorShift().samples()))
                .isEqualTo(fingerprints().get("conveyor-shift-2h"));
    }

    @Test
    void reeferTripIsFortyEightHoursAtOneReadingEvery30Seconds() {
        List<TemperatureReading> r = trip.readings();

        assertThat(r).hasSize(5760);
        assertThat(r.get(0).at()).isEqualTo(TRIP_START);
        assertThat(r.get(5759).at()).isEqualTo(TRIP_START.plus(Duration.ofHours(48)).minusSeconds(30));
        for (int i = 1; i < r.size(); i++) {
            assertThat(Duration.between(r.get(i - 1).at(), r.get(i).at())).isEqualTo(Duration.ofSeconds(30));
        }
        assertThat(r).allSatisfy(x -> assertThat(x.sensorId()).isEqualTo(GoldenTraces.REEFER_SENSOR_ID));
    }

    @Test
    void reeferTripHasItsIncidentsAndNormalNoiseElsewhere() {
        assertThat(trip.incidents(TraceIncident.Kind.DEFROST)).hasSize(6);
        assertThat(trip.incidents(TraceIncident.Kind.DOOR_OPENING)).hasSize(1);
        assertThat(trip.incidents(TraceIncident.Kind.SENSOR_GLITCH)).hasSize(1);
        assertThat(trip.incidents(TraceIncident.Kind.UNIT_FAILURE)).hasSize(1);
        assertThat(trip.expectedExcursions()).hasSize(1);

        Duration settle = Duration.ofMinutes(3);
        for (TemperatureReading r : trip.readings()) {
            boolean inIncident = trip.incidents().stream().anyMatch(i -> i.covers(r.at(), settle));
            if (!inIncident) {
                assertThat(r.celsius()).as("%s", r).isBetween(4.5, 5.5); // setpoint 5, swing 0.2, noise 0.3
            }
        }
    }

    @Test
    void defrostStaysInsideTheBandAndTheExitThreshold() {
        for (TraceIncident d : trip.incidents(TraceIncident.Kind.DEFROST)) {
            assertThat(readingsIn(d.from(), d.to())).allSatisfy(r -> assertThat(r.celsius()).isBetween(4.5, 7.5));
        }
    }

    @Test
    void theGlitchIsOneReadingOf60Degrees() {
        assertThat(trip.readings()).filteredOn(r -> r.celsius() > 20).singleElement().satisfies(r -> {
            assertThat(r.celsius()).isEqualTo(60.0);
            assertThat(r.at()).isEqualTo(TRIP_START.plus(GoldenTraces.GLITCH_AT));
        });
    }

    @Test
    void theDoorOpeningIsANinetySecondSpikeToTwelveDegrees() {
        Instant door = TRIP_START.plus(GoldenTraces.DOOR_OPENING_AT);
        List<TemperatureReading> spike = readingsIn(door.minusSeconds(600), door.plusSeconds(600)).stream()
                .filter(r -> r.celsius() > 8.0).toList();

        assertThat(spike).hasSize(3);
        assertThat(spike).allSatisfy(r -> assertThat(r.celsius()).isBetween(11.7, 12.3));
    }

    @Test
    void theUnitFailureIsFortyMinutesAtNineToElevenDegrees() {
        Instant fail = TRIP_START.plus(GoldenTraces.FAILURE_AT);
        List<TemperatureReading> held = readingsIn(fail.plusSeconds(60), fail.plus(Duration.ofMinutes(40)));

        assertThat(held).hasSize(78);
        assertThat(held).allSatisfy(r -> assertThat(r.celsius()).isBetween(9.0, 11.0));
    }

    @Test
    void theDoorOpeningExcerptIsTheGeneratedTrace() {
        List<TraceSample> stored = TraceReader.readResource("/traces/door-opening.csv");
        Instant from = stored.get(0).at();
        Instant to = stored.get(stored.size() - 1).at().plusMillis(1);

        assertThat(stored).hasSize(40).isEqualTo(readingsIn(from, to).stream().map(TraceSample::of).toList());
    }

    @Test
    void conveyorShiftHasItsSpikeAndItsJam() {
        ConveyorTrace shift = GoldenTraces.conveyorShift();
        List<ConveyorReading> r = shift.readings();

        assertThat(r).hasSize(7200);
        assertThat(r.get(GoldenTraces.SPIKE_INDEX).value()).isGreaterThan(6.0);
        assertThat(r.get(GoldenTraces.SPIKE_INDEX + 2).value()).isLessThan(4.5);
        assertThat(r.subList(GoldenTraces.JAM_INDEX, GoldenTraces.JAM_INDEX + 90))
                .allSatisfy(x -> assertThat(x.value()).isGreaterThan(4.9));
        assertThat(shift.expectedJams()).singleElement()
                .satisfies(j -> assertThat(j.onsetIndex()).isEqualTo(GoldenTraces.JAM_INDEX));
    }

    @Test
    void theSameSeedGivesTheSameTraceAnotherSeedOtherNoise() {
        assertThat(GoldenTraces.reeferTrip(7)).isEqualTo(GoldenTraces.reeferTrip(7));
        assertThat(GoldenTraces.reeferTrip(7).readings()).isNotEqualTo(trip.readings());
        assertThat(GoldenTraces.reeferTrip(7).incidents()).isEqualTo(trip.incidents());
    }

    private List<TemperatureReading> readingsIn(Instant from, Instant to) {
        return trip.readings().stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList();
    }
}
