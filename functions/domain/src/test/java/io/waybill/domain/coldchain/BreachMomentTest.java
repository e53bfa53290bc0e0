package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BreachMomentTest {
    private static final String SSCC = "000000000000000017";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    /** 2-8 °C, 30 min out of range allowed, above 15 °C critical, MKT above 8 °C major. */
    private static final ProductClass CHILLED = ProductClass.CHILLED_BIOLOGICS_2_8;

    private static ExposureEvidence reading(String probe, Instant at, double celsius) {
        return new ExposureEvidence(probe + "@" + at, SSCC, probe, ExposureEvidence.Kind.POINT, at, at, celsius, 0);
    }

    /** 4 h at 5 °C every 5 min (00:00 .. 03:55), then 11 °C every 5 min from 04:00 to 05:00. */
    private static List<ExposureEvidence> unitFailure(String probe) {
        List<ExposureEvidence> out = new ArrayList<>();
        for (int m = 0; m <= 300; m += 5) {
            out.add(reading(probe, T0.plus(Duration.ofMinutes(m)), m < 240 ? 5.0 : 11.0));
        }
        return out;
    }

    @Test
    void aTimeOutOfRangeBreachIsTheReadingWithWhichTheBudgetIsExceeded() {
        // A reading holds until the next one. The 03:55 reading (5 °C) holds to 04:00; the 11 °C reading at 04:00
        // holds to 04:05, and so on: after the reading at 04:00 + 5k min the time out of range is 5k min. The budget is
        // 30 min and exactly the budget is no breach: k = 6 (04:30) gives 30 min, k = 7 (04:35) gives 35 min > 30.
        // Nothing else breaches first: 11 °C < 15 °C (hard high), and at 04:35 the mean is
        // (240 min x 5 + 35 min x 11) / 275 min = 5.76 °C, the MKT a little above it, far below 8 °C.
        assertThat(BreachMoment.first(SSCC, CHILLED, unitFailure("p1")))
                .contains(Instant.parse("2026-03-02T04:35:00Z"));
    }

    @Test
    void theMomentDoesNotDependOnArrivalOrderOrResends() {
        List<ExposureEvidence> shuffled = new ArrayList<>(unitFailure("p1"));
        shuffled.addAll(unitFailure("p1").subList(40, 55)); // resent
        Collections.shuffle(shuffled, new Random(7));
        assertThat(BreachMoment.first(SSCC, CHILLED, shuffled)).contains(Instant.parse("2026-03-02T04:35:00Z"));
    }

    @Test
    void aHardLimitBreachesAtTheFirstReadingBeyondIt() {
        // 5 °C every 5 min, one reading of 15.5 °C at 01:00 (> 15 °C hard high): critical at once, whatever the budget
        List<ExposureEvidence> r = new ArrayList<>();
        for (int m = 0; m <= 120; m += 5) {
            r.add(reading("p1", T0.plus(Duration.ofMinutes(m)), m == 60 ? 15.5 : 5.0));
        }
        assertThat(BreachMoment.first(SSCC, CHILLED, r)).contains(Instant.parse("2026-03-02T01:00:00Z"));
    }

    @Test
    void theEarliestProbeDecides() {
        // p2 fails an hour earlier than p1 (its 11 °C from 03:00): its budget is exceeded at 03:35
        List<ExposureEvidence> r = new ArrayList<>(unitFailure("p1"));
        for (int m = 0; m <= 300; m += 5) {
            r.add(reading("p2", T0.plus(Duration.ofMinutes(m)), m < 180 ? 5.0 : 11.0));
        }
        assertThat(BreachMoment.first(SSCC, CHILLED, r)).contains(Instant.parse("2026-03-02T03:35:00Z"));
    }

    @Test
    void exactlyTheBudgetIsNoBreach() {
        // 11 °C from 04:00 to 04:30 only, then 5 °C: 30 min out of range, equal to the budget
        List<ExposureEvidence> r = new ArrayList<>();
        for (int m = 0; m <= 300; m += 5) {
            r.add(reading("p1", T0.plus(Duration.ofMinutes(m)), m >= 240 && m < 270 ? 11.0 : 5.0));
        }
        assertThat(BreachMoment.first(SSCC, CHILLED, r)).isEmpty();
    }
}
