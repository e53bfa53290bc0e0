package io.waybill.local.demo;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentDeparted;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo's seeded demand history: the live traffic is one day, a forecast needs four weeks. For {@code weeks} weeks
 * before the live day, one DC ships a regular SKU (the live traffic's item reference 812345: a weekly pattern, busy
 * Fridays, quiet weekends, Gaussian noise) and an intermittent one (item reference 812346: an order on about one day in
 * five, 1-6 units). Every shipment is an {@code InventoryObserved} (its SGTINs read with its SSCC at the DC's dock door)
 * and a {@code ShipmentDeparted} from the DC, canonical events as the pipeline's adapters make them; the same seed gives
 * the same events.
 */
final class SeededDemandHistory {
    /** SGTIN classes (company prefix . indicator + item reference) of the regular and the intermittent SKU. */
    static final String REGULAR_CLASS = "0614141.812345";
    static final String INTERMITTENT_CLASS = "0614141.812346";
    static final String SOURCE = "urn:waybill:demo:seeded-history";
    static final String ADAPTER = "demo-seed";
    /** Units per shipment at most: a busy day ships several. */
    static final int UNITS_PER_SHIPMENT = 24;
    /** Regular SKU: mean units on a Monday..Sunday before noise. */
    static final int[] WEEKDAY_UNITS = {40, 37, 35, 38, 46, 18, 12};
    static final double NOISE_SD = 3.5;
    static final double INTERMITTENT_ORDER_PROBABILITY = 0.2;

    private final String dcGln;
    private final LocalDate firstDay;
    private final List<CanonicalEvent> events;
    /** SGTIN class to units per day from {@link #firstDay} (the generator's own account, for the report). */
    private final Map<String, int[]> planned;

    private SeededDemandHistory(String dcGln, LocalDate firstDay, List<CanonicalEvent> events,
                                Map<String, int[]> planned) {
        this.dcGln = dcGln;
        this.firstDay = firstDay;
        this.events = List.copyOf(events);
        this.planned = planned;
    }

    /** {@code weeks} weeks of history for the days before {@code liveDay} (exclusive) at {@code dcGln}. */
    static SeededDemandHistory generate(long seed, String dcGln, LocalDate liveDay, int weeks) {
        Random random = new Random(seed * 31 + 15);
        LocalDate first = liveDay.minusWeeks(weeks);
        int days = weeks * 7;
        int[] regular = new int[days];
        int[] intermittent = new int[days];
        List<CanonicalEvent> events = new ArrayList<>();
        int shipment = 0;
        int serial = 1_000_000;
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            int mean = WEEKDAY_UNITS[day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()];
            regular[d] = Math.max(1, (int) Math.round(mean + random.nextGaussian() * NOISE_SD));
            if (random.nextDouble() < INTERMITTENT_ORDER_PROBABILITY) {
                intermittent[d] = 1 + random.nextInt(6);
            }
            Instant departure = day.atTime(7, 0).toInstant(ZoneOffset.UTC);
            for (int left = regular[d]; left > 0; left -= UNITS_PER_SHIPMENT) {
                int units = Math.min(left, UNITS_PER_SHIPMENT);
                addShipment(events, seed, sscc(shipment++), dcGln, REGULAR_CLASS, serial, units, departure);
                serial += units;
                departure = departure.plus(Duration.ofMinutes(40));
            }
            if (intermittent[d] > 0) {
                addShipment(events, seed, sscc(shipment++), dcGln, INTERMITTENT_CLASS, serial, intermittent[d],
                        departure);
                serial += intermittent[d];
            }
        }
        Map<String, int[]> planned = new LinkedHashMap<>();
        planned.put(REGULAR_CLASS, regular);
        planned.put(INTERMITTENT_CLASS, intermittent);
        return new SeededDemandHistory(dcGln, first, events, planned);
    }

    private static void addShipment(List<CanonicalEvent> events, long seed, String sscc, String dcGln,
                                    String sgtinClass, int firstSerial, int units, Instant departure) {
        List<String> epcs = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            epcs.add("urn:epc:id:sgtin:" + sgtinClass + "." + (firstSerial + u));
        }
        Instant read = departure.minus(Duration.ofMinutes(5));
        events.add(event(seed, read, new InventoryObserved(dcGln, "DOCK-DOOR-1", epcs, sscc)));
        events.add(event(seed, departure, new ShipmentDeparted(sscc, dcGln, null, null, null)));
    }

    private static CanonicalEvent event(long seed, Instant time, EventData data) {
        String id = UUID.nameUUIDFromBytes((SOURCE + "|" + seed + "|" + EventType.of(data).type() + "|"
                + data.subject()).getBytes(StandardCharsets.UTF_8)).toString();
        return new CanonicalEvent(id, SOURCE, EventType.of(data).type(), time, data.subject(), time, time,
                time.plusSeconds(1), time.plusSeconds(2), 0, false, ADAPTER, null, data);
    }

    /** SSCC of the n-th seeded shipment: extension 5, company prefix 0614141, serial reference 800000000 + n. */
    static String sscc(int n) {
        String body = "5" + "0614141" + String.format(Locale.ROOT, "%09d", 800_000_000 + n);
        return body + ForecastSection.gs1CheckDigit(body);
    }

    /** The events as Kinesis batches of at most {@code size} records, as the canonical stream's mapping delivers them. */
    List<KinesisEvent> batches(int size) {
        List<KinesisEvent> out = new ArrayList<>();
        for (int from = 0; from < events.size(); from += size) {
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
            for (int i = from; i < Math.min(events.size(), from + size); i++) {
                KinesisEvent.Record k = new KinesisEvent.Record();
                k.setSequenceNumber(String.format(Locale.ROOT, "%021d", i + 1));
                k.setData(ByteBuffer.wrap(CanonicalEventJson.toJsonString(events.get(i))
                        .getBytes(StandardCharsets.UTF_8)));
                k.setPartitionKey(events.get(i).subject());
                k.setApproximateArrivalTimestamp(java.util.Date.from(events.get(i).time()));
                KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
                r.setKinesis(k);
                r.setEventID("shardId-000000000000:" + k.getSequenceNumber());
                r.setEventSource("aws:kinesis");
                records.add(r);
            }
            KinesisEvent batch = new KinesisEvent();
            batch.setRecords(records);
            out.add(batch);
        }
        return out;
    }

    List<CanonicalEvent> events() {
        return events;
    }

    String dcGln() {
        return dcGln;
    }

    LocalDate firstDay() {
        return firstDay;
    }

    int days() {
        return planned.get(REGULAR_CLASS).length;
    }

    /** The generator's own account of units per day of one SGTIN class, from {@link #firstDay()}. */
    int[] planned(String sgtinClass) {
        return planned.get(sgtinClass).clone();
    }
}
