package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Daily demand series from the demand lines: per day the number of distinct SGTINs in the day's lines that are not
 * superseded, zero on days without any.
 */
public final class DemandHistoryBuilder {
    private final DemandLedger ledger;

    public DemandHistoryBuilder(DemandLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Demand of {@code key} on each day of [from, toExclusive), zero-filled. */
    public DemandHistory build(SeriesKey key, LocalDate from, LocalDate toExclusive) {
        int days = (int) ChronoUnit.DAYS.between(from, toExclusive);
        if (days < 0) {
            throw new IllegalArgumentException("from " + from + " is after " + toExclusive);
        }
        Map<LocalDate, Set<String>> units = new HashMap<>();
        for (DemandLedger.DemandLine line : ledger.lines(key, from, toExclusive)) {
            if (!line.superseded()) {
                units.computeIfAbsent(line.day(), d -> new HashSet<>()).addAll(line.epcs());
            }
        }
        double[] perDay = new double[days];
        units.forEach((day, epcs) -> {
            int i = (int) ChronoUnit.DAYS.between(from, day);
            if (i >= 0 && i < days) {
                perDay[i] = epcs.size();
            }
        });
        return new DemandHistory(key, from, perDay);
    }
}
