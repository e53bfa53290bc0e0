package io.waybill.domain.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SortableTimeTest {

    @Test
    void aWholeSecondSortsBeforeAFractionOfTheSameSecond() {
        assertThat("2026-12-02T10:00:00.380Z").as("Instant.toString: the bug").isLessThan("2026-12-02T10:00:00Z");
        assertThat(SortableTime.format(Instant.parse("2026-12-02T10:00:00Z")))
                .isEqualTo("2026-12-02T10:00:00.000000000Z");
        assertThat(SortableTime.format(Instant.parse("2026-12-02T10:00:00.38Z")))
                .isEqualTo("2026-12-02T10:00:00.380000000Z");
    }

    /** Text order is time order, and the text parses back to the same instant. */
    @Property
    void textOrderIsTimeOrderAndParsesBack(@ForAll @LongRange(min = 0, max = 253_402_300_799L) long secondsA,
                                           @ForAll @LongRange(min = 0, max = 999_999_999) long nanosA,
                                           @ForAll @LongRange(min = -5, max = 5) long secondsApart,
                                           @ForAll @LongRange(min = 0, max = 999_999_999) long nanosB) {
        Instant a = Instant.ofEpochSecond(secondsA, nanosA);
        Instant b = Instant.ofEpochSecond(Math.max(0, Math.min(253_402_300_799L, secondsA + secondsApart)), nanosB);
        String ta = SortableTime.format(a);
        String tb = SortableTime.format(b);
        assertThat(Integer.signum(ta.compareTo(tb))).isEqualTo(Integer.signum(a.compareTo(b)));
        assertThat(ta).hasSize(30);
        assertThat(Instant.parse(ta)).isEqualTo(a);
    }
}
