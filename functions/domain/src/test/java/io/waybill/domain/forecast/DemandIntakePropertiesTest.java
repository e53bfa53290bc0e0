package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demand lines against a reference model written here: contents = union of the SGTINs read with the SSCC, departure
 * day = UTC day of the earliest departure per (SSCC, GLN), demand(gtin, gln, day) = distinct SGTINs. Any order and any
 * number of resends of the events must end in the reference demand.
 */
class DemandIntakePropertiesTest {
    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 400)
    void anyOrderAndAnyRedeliveryEndsInTheReferenceDemand(@ForAll("seeds") long scenarioSeed,
                                                          @ForAll("seeds") long deliverySeed) {
        DemandScenarios.Scenario s = DemandScenarios.scenario(scenarioSeed);
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
        DemandScenarios.redelivered(s.events(), deliverySeed).forEach(intake::accept);
        assertThat(DemandScenarios.demandOf(ledger)).isEqualTo(s.reference());
    }

    @Property(tries = 200)
    void firstDemandIsTheEarliestReferenceDay(@ForAll("seeds") long scenarioSeed, @ForAll("seeds") long deliverySeed) {
        DemandScenarios.Scenario s = DemandScenarios.scenario(scenarioSeed);
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
        DemandScenarios.redelivered(s.events(), deliverySeed).forEach(intake::accept);
        Map<String, LocalDate> firstByReference = new TreeMap<>();
        s.reference().keySet().forEach(k -> {
            String[] p = k.split("\\|");
            firstByReference.merge(p[0] + "@" + p[1], LocalDate.parse(p[2]), (a, b) -> a.isBefore(b) ? a : b);
        });
        firstByReference.forEach((id, day) -> assertThat(ledger.firstDemand(SeriesKey.parse(id))).contains(day));
    }

    @Example
    void contentsAfterTheDepartureAndAnEarlierDepartureLater() {
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        List<String> journal = new ArrayList<>();
        DemandIntake intake = new DemandIntake(ledger, new ForecastJournal() {
            @Override
            public void unattributableDeparture(CanonicalEvent event, String reason) {
                journal.add(event.id());
            }
        });
        String sscc = DemandEvents.sscc(1);
        Instant day2 = Instant.parse("2026-03-02T10:00:00Z");
        Instant day1 = Instant.parse("2026-03-01T23:59:00Z");
        intake.accept(DemandEvents.departed("d-late", day2, sscc, DemandEvents.GLN_A));
        intake.accept(DemandEvents.observed("o", day1, sscc, List.of(DemandEvents.sgtin(0, 1),
                DemandEvents.sgtin(0, 2), DemandEvents.sgtin(1, 3))));
        assertThat(DemandScenarios.demandOf(ledger)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "80614141123458|0614141000012|2026-03-02", 2, "00614141123452|0614141000012|2026-03-02", 1));
        intake.accept(DemandEvents.departed("d-early", day1, sscc, DemandEvents.GLN_A));
        intake.accept(DemandEvents.departed("d-none", day1, sscc, null));
        assertThat(DemandScenarios.demandOf(ledger)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "80614141123458|0614141000012|2026-03-01", 2, "00614141123452|0614141000012|2026-03-01", 1));
        assertThat(journal).containsExactly("d-none");
    }
}
