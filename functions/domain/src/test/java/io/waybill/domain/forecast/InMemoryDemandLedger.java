package io.waybill.domain.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A {@link DemandLedger} in maps (linearisable: every method is synchronized), for domain tests. */
public final class InMemoryDemandLedger implements DemandLedger {
    private final Map<String, Map<String, String>> contents = new HashMap<>();
    private final Map<String, Map<String, Instant>> departures = new HashMap<>();
    private final Map<String, Line> lines = new TreeMap<>();
    private final Map<SeriesKey, LocalDate> first = new HashMap<>();

    private static final class Line {
        final SeriesKey key;
        final LocalDate day;
        final String sscc;
        final Set<String> epcs = new HashSet<>();
        boolean superseded;

        Line(SeriesKey key, LocalDate day, String sscc) {
            this.key = key;
            this.day = day;
            this.sscc = sscc;
        }
    }

    private Line line(SeriesKey key, LocalDate day, String sscc) {
        return lines.computeIfAbsent(key.id() + "|" + day + "|" + sscc, k -> new Line(key, day, sscc));
    }

    @Override
    public synchronized void recordContents(String sscc, Map<String, String> gtinByEpc) {
        contents.computeIfAbsent(sscc, s -> new HashMap<>()).putAll(gtinByEpc);
    }

    @Override
    public synchronized Map<String, String> contents(String sscc) {
        return Map.copyOf(contents.getOrDefault(sscc, Map.of()));
    }

    @Override
    public synchronized DepartureRecorded recordDeparture(String sscc, String gln, Instant departedAt) {
        Map<String, Instant> byGln = departures.computeIfAbsent(sscc, s -> new HashMap<>());
        Instant old = byGln.get(gln);
        if (old != null && old.isBefore(departedAt)) {
            return new DepartureRecorded(false, null);
        }
        byGln.put(gln, departedAt);
        return new DepartureRecorded(true, old != null && old.isAfter(departedAt) ? old : null);
    }

    @Override
    public synchronized Map<String, Instant> departures(String sscc) {
        return Map.copyOf(departures.getOrDefault(sscc, Map.of()));
    }

    @Override
    public synchronized int addToLine(SeriesKey key, LocalDate day, String sscc, Set<String> epcs) {
        Line l = line(key, day, sscc);
        int before = l.epcs.size();
        l.epcs.addAll(epcs);
        first.merge(key, day, (a, b) -> a.isBefore(b) ? a : b);
        return l.epcs.size() - before;
    }

    @Override
    public synchronized void supersedeLine(SeriesKey key, LocalDate day, String sscc) {
        line(key, day, sscc).superseded = true;
    }

    @Override
    public synchronized List<DemandLine> lines(SeriesKey key, LocalDate from, LocalDate toExclusive) {
        List<DemandLine> out = new ArrayList<>();
        for (Line l : lines.values()) {
            if (l.key.equals(key) && !l.day.isBefore(from) && l.day.isBefore(toExclusive)) {
                out.add(new DemandLine(l.key, l.day, l.sscc, l.epcs, l.superseded));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<LocalDate> firstDemand(SeriesKey key) {
        return Optional.ofNullable(first.get(key));
    }

    @Override
    public synchronized List<String> locations() {
        Set<String> glns = new TreeSet<>();
        first.keySet().forEach(k -> glns.add(k.locationGln()));
        return List.copyOf(glns);
    }

    @Override
    public synchronized List<SeriesKey> series(String locationGln) {
        List<SeriesKey> out = new ArrayList<>();
        first.keySet().stream().filter(k -> k.locationGln().equals(locationGln)).sorted(
                java.util.Comparator.comparing(SeriesKey::gtin)).forEach(out::add);
        return out;
    }
}
