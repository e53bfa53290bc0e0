package io.waybill.domain.partner;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes worked by hand from AWS's rule: Time 14 bytes; Source, DetailType, Detail, each Resource by UTF-8 bytes. */
class PutEventsBatcherTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static OutboundEntry entry(String detail, List<String> resources, Instant time) {
        return new OutboundEntry("p", "s", "e", "io.waybill", "waybill.shipment.departed.v1", detail, resources, time);
    }

    @Test
    void asciiEntrySizeIsTheSumOfItsParts() {
        // io.waybill = 10, waybill.shipment.departed.v1 = 28, {"a":1} = 7, Time = 14
        assertEquals(10 + 28 + 7 + 14, entry("{\"a\":1}", List.of(), T).size());
        // without Time: no 14
        assertEquals(10 + 28 + 7, entry("{\"a\":1}", List.of(), null).size());
    }

    @Test
    void multiByteCharactersCountByTheirUtf8Bytes() {
        // {"a":"é€😀"}: 6 ASCII + é (2) + € (3) + 😀 (4, two Java chars) + 2 ASCII = 17 bytes, 12 Java chars
        String detail = "{\"a\":\"\u00e9\u20ac\uD83D\uDE00\"}";
        assertEquals(12, detail.length());
        assertEquals(10 + 28 + 17 + 14, entry(detail, List.of(), T).size());
    }

    @Test
    void eachResourceCounts() {
        // "arn:aws:s3:::b" = 14, "ü" = 2
        assertEquals(10 + 28 + 2 + 14 + 14 + 2, entry("{}", List.of("arn:aws:s3:::b", "\u00fc"), T).size());
    }

    @Test
    void anEntryOfExactly256KiBIsSendableAndOneByteMoreIsNot() {
        int fixed = 10 + 28 + 14; // source, detail-type, time
        String atLimit = "\"" + "x".repeat(262_144 - fixed - 2) + "\"";
        String over = "\"" + "x".repeat(262_144 - fixed - 1) + "\"";
        OutboundEntry ok = entry(atLimit, List.of(), T);
        OutboundEntry big = entry(over, List.of(), T);
        assertEquals(262_144, ok.size());
        assertEquals(262_145, big.size());
        PutEventsBatcher.Plan plan = PutEventsBatcher.plan(List.of(ok, big));
        assertEquals(List.of(List.of(ok)), plan.calls());
        assertEquals(1, plan.oversized().size());
        assertEquals(big, plan.oversized().get(0).entry());
        assertEquals(262_145, plan.oversized().get(0).size());
        assertTrue(plan.oversized().get(0).reason().contains("262145"));
    }

    @Test
    void multiByteDetailOverTheLimitByBytesNotCharsIsNotSendable() {
        // 87,364 x '€' = 262,092 bytes (3 each) but only 87,364 chars: with 52 fixed bytes this is 262,144: at the limit
        OutboundEntry ok = entry("\u20ac".repeat(87_364), List.of(), T);
        assertEquals(262_144, ok.size());
        OutboundEntry over = entry("\u20ac".repeat(87_364) + "x", List.of(), T);
        assertEquals(1, PutEventsBatcher.plan(List.of(over)).oversized().size());
    }

    @Test
    void twentyThreeEntriesGoAsTenTenAndThree() {
        List<OutboundEntry> entries = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            entries.add(new OutboundEntry("p", "s", "e" + i, "io.waybill", "t", "{}", List.of(), T));
        }
        PutEventsBatcher.Plan plan = PutEventsBatcher.plan(entries);
        assertEquals(List.of(10, 10, 3), plan.calls().stream().map(List::size).toList());
        assertEquals(entries, plan.calls().stream().flatMap(List::stream).toList());
        assertTrue(plan.oversized().isEmpty());
    }

    @Test
    void aCallNeverCarriesMoreThan256KiBInAll() {
        // three entries of 100,052 bytes: two fit in 262,144 (200,104), three do not
        String detail = "x".repeat(100_000);
        OutboundEntry e = entry(detail, List.of(), T);
        assertEquals(100_052, e.size());
        PutEventsBatcher.Plan plan = PutEventsBatcher.plan(List.of(e, e, e));
        assertEquals(List.of(2, 1), plan.calls().stream().map(List::size).toList());
    }
}
