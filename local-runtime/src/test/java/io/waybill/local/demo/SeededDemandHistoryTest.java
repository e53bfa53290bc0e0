package io.waybill.local.demo;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentDeparted;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's seeded history: the demand per day its events imply, counted here by hand (join each shipment's read
 * SGTINs with its departure day, count distinct SGTINs per item class and day), is what the generator says it seeded;
 * the history is deterministic for a seed, has the weekly shape and the intermittency the report describes, and its
 * Kinesis batches carry the events as canonical JSON.
 */
class SeededDemandHistoryTest {
    static final String DC = "0614141000012";
    static final LocalDate LIVE = LocalDate.of(2026, 11, 26);

    /** Units per day counted from the event list: distinct SGTINs of a class in shipments departing the DC that day. */
    private static Map<String, Map<LocalDate, Integer>> countByHand(List<CanonicalEvent> events) {
        Map<String, List<String>> contents = new HashMap<>();
        Map<String, LocalDate> departed = new HashMap<>();
        for (CanonicalEvent e : events) {
            if (e.data() instanceof InventoryObserved o) {
                contents.computeIfAbsent(o.shipmentSscc(), k -> new java.util.ArrayList<>()).addAll(o.epcs());
            } else if (e.data() instanceof ShipmentDeparted d && DC.equals(d.fromGln())) {
                LocalDate day = e.time().atZone(ZoneOffset.UTC).toLocalDate();
                departed.merge(d.shipmentSscc(), day, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        Map<String, Map<LocalDate, Set<String>>> epcs = new HashMap<>();
        departed.forEach((sscc, day) -> {
            for (String epc : contents.getOrDefault(sscc, List.of())) {
                // urn:epc:id:sgtin:0614141.812345.1000001 -> class 0614141.812345
                String cls = epc.substring("urn:epc:id:sgtin:".length(), epc.lastIndexOf('.'));
                epcs.computeIfAbsent(cls, k -> new HashMap<>()).computeIfAbsent(day, k -> new HashSet<>()).add(epc);
            }
        });
        Map<String, Map<LocalDate, Integer>> out = new HashMap<>();
        epcs.forEach((cls, byDay) -> byDay.forEach((day, s) ->
                out.computeIfAbsent(cls, k -> new HashMap<>()).put(day, s.size())));
        return out;
    }

    @Test
    void theEventsCarryTheDemandTheGeneratorSeeded() {
        SeededDemandHistory h = SeededDemandHistory.generate(42, DC, LIVE, 12);
        Map<String, Map<LocalDate, Integer>> counted = countByHand(h.events());
        assertThat(h.firstDay()).isEqualTo(LocalDate.of(2026, 9, 3)); // 84 days before 2026-11-26
        for (String cls : List.of("0614141.812345", "0614141.812346")) {
            int[] planned = h.planned(cls);
            assertThat(planned).hasSize(84);
            for (int d = 0; d < planned.length; d++) {
                int byHand = counted.getOrDefault(cls, Map.of()).getOrDefault(h.firstDay().plusDays(d), 0);
                assertThat(byHand).as(cls + " on " + h.firstDay().plusDays(d)).isEqualTo(planned[d]);
            }
            // nothing outside the 12 weeks
            assertThat(counted.get(cls).keySet()).allSatisfy(day ->
                    assertThat(day).isBetween(h.firstDay(), LIVE.minusDays(1)));
        }
    }

    @Test
    void regularHasAWeeklyShapeAndIntermittentOrdersOnAboutOneDayInFive() {
        SeededDemandHistory h = SeededDemandHistory.generate(42, DC, LIVE, 12);
        int[] regular = h.planned("0614141.812345");
        double friday = 0;
        double sunday = 0;
        for (int d = 0; d < regular.length; d++) {
            DayOfWeek dow = h.firstDay().plusDays(d).getDayOfWeek();
            friday += dow == DayOfWeek.FRIDAY ? regular[d] : 0;
            sunday += dow == DayOfWeek.SUNDAY ? regular[d] : 0;
            assertThat(regular[d]).isPositive();
        }
        assertThat(friday / 12).isBetween(40.0, 52.0); // mean 46, sd 3.5 / sqrt(12)
        assertThat(sunday / 12).isBetween(8.0, 16.0); // mean 12
        long orderDays = java.util.Arrays.stream(h.planned("0614141.812346")).filter(u -> u > 0).count();
        assertThat(orderDays).isBetween(6L, 30L); // binomial(84, 0.2): mean 16.8, sd 3.7
        assertThat(java.util.Arrays.stream(h.planned("0614141.812346")).max().getAsInt()).isLessThanOrEqualTo(6);
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<String> a = SeededDemandHistory.generate(7, DC, LIVE, 12).events().stream()
                .map(CanonicalEventJson::toJsonString).toList();
        List<String> b = SeededDemandHistory.generate(7, DC, LIVE, 12).events().stream()
                .map(CanonicalEventJson::toJsonString).toList();
        List<String> c = SeededDemandHistory.generate(8, DC, LIVE, 12).events().stream()
                .map(CanonicalEventJson::toJsonString).toList();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void batchesCarryEveryEventOnceAsCanonicalJsonAndSsccsHaveValidCheckDigits() throws Exception {
        SeededDemandHistory h = SeededDemandHistory.generate(42, DC, LIVE, 12);
        List<String> sent = new java.util.ArrayList<>();
        for (var batch : h.batches(100)) {
            assertThat(batch.getRecords().size()).isBetween(1, 100);
            for (var r : batch.getRecords()) {
                byte[] bytes = new byte[r.getKinesis().getData().remaining()];
                r.getKinesis().getData().duplicate().get(bytes);
                sent.add(CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(
                        new String(bytes, StandardCharsets.UTF_8))).id());
            }
        }
        assertThat(sent).containsExactlyElementsOf(h.events().stream().map(CanonicalEvent::id).toList());
        assertThat(new HashSet<>(sent)).hasSize(sent.size());
        // SSCC of seeded shipment 0: body 50614141800000000, weights 3,1,3,... from the right:
        // 3*8 + 1 + 3*4 + 1 + 3*4 + 1 + 3*6 + 0 + 3*5 = 84, check digit (10 - 4) % 10 = 6
        assertThat(SeededDemandHistory.sscc(0)).isEqualTo("506141418000000006");
    }
}
