package io.waybill.domain.partner;

import io.waybill.domain.ingestion.TransientDependencyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartnerDeliveryTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** Answers each call from a script of per-entry error codes keyed by event id (null = accepted). */
    static final class ScriptedBus implements PartnerPublisher {
        final List<List<String>> calls = new ArrayList<>();
        final Deque<Map<String, String>> script = new ArrayDeque<>();
        boolean failWholeCallOnce;

        @Override
        public List<Result> putEvents(List<OutboundEntry> entries) {
            calls.add(entries.stream().map(OutboundEntry::eventId).toList());
            if (failWholeCallOnce) {
                failWholeCallOnce = false;
                throw new TransientDependencyException("partner-bus", "connection reset", null);
            }
            Map<String, String> errors = script.isEmpty() ? Map.of() : script.pop();
            return entries.stream().map(e -> errors.containsKey(e.eventId())
                    ? Result.failed(errors.get(e.eventId()), "scripted")
                    : Result.accepted("id-" + e.eventId())).toList();
        }
    }

    static final class RecordingDeadLetters implements PartnerDeadLetters {
        final List<String> letters = new ArrayList<>();

        @Override
        public void deadLetter(OutboundEntry entry, String reason) {
            letters.add(entry.eventId() + ": " + reason);
        }
    }

    private static List<OutboundEntry> entries(int n) {
        List<OutboundEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new OutboundEntry("p", "s", "e" + i, "io.waybill", "t", "{}", List.of(), T));
        }
        return out;
    }

    private final ScriptedBus bus = new ScriptedBus();
    private final RecordingDeadLetters dead = new RecordingDeadLetters();
    private final List<Long> sleeps = new ArrayList<>();
    private final PartnerDelivery delivery = new PartnerDelivery(bus, dead,
            new DeliveryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(250)), sleeps::add, new Random(7));

    @Test
    void onlyTheFailedEntriesAreResent() {
        bus.script.add(Map.of("e1", "ThrottlingException", "e4", "InternalFailure"));
        PartnerDelivery.Outcome out = delivery.deliver(entries(5));
        assertEquals(List.of(List.of("e0", "e1", "e2", "e3", "e4"), List.of("e1", "e4")), bus.calls);
        assertEquals(5, out.delivered().size());
        assertTrue(out.deadLettered().isEmpty());
        assertEquals(1, sleeps.size());
        assertTrue(sleeps.get(0) >= 0 && sleeps.get(0) <= 100, "first backoff within [0, 100] ms: " + sleeps);
    }

    @Test
    void anEntryStillFailingAfterTheLimitIsDeadLetteredWithItsReason() {
        bus.script.add(Map.of("e2", "ThrottlingException"));
        bus.script.add(Map.of("e2", "ThrottlingException"));
        bus.script.add(Map.of("e2", "InternalFailure"));
        PartnerDelivery.Outcome out = delivery.deliver(entries(3));
        assertEquals(List.of(List.of("e0", "e1", "e2"), List.of("e2"), List.of("e2")), bus.calls);
        assertEquals(List.of("e0", "e1"), out.delivered().stream().map(OutboundEntry::eventId).toList());
        assertEquals(List.of("e2: gave up after 3 attempts; last error InternalFailure: scripted"), dead.letters);
        // backoff ceilings 100 then 200 (cap 250): full jitter stays under each
        assertEquals(2, sleeps.size());
        assertTrue(sleeps.get(0) <= 100 && sleeps.get(1) <= 200, sleeps.toString());
    }

    @Test
    void aPermanentErrorIsDeadLetteredWithoutRetry() {
        bus.script.add(Map.of("e0", "MalformedDetail"));
        PartnerDelivery.Outcome out = delivery.deliver(entries(2));
        assertEquals(1, bus.calls.size());
        assertEquals(List.of("e0: permanent error MalformedDetail: scripted"), dead.letters);
        assertEquals(List.of("e1"), out.delivered().stream().map(OutboundEntry::eventId).toList());
    }

    @Test
    void aWholeCallFailureRetriesEveryEntryOfIt() {
        bus.failWholeCallOnce = true;
        PartnerDelivery.Outcome out = delivery.deliver(entries(12));
        // first call (10) throws, second (2) succeeds, then the 10 are resent
        assertEquals(List.of(10, 2, 10), bus.calls.stream().map(List::size).toList());
        assertEquals(12, out.delivered().size());
    }

    @Test
    void anOversizedEntryIsDeadLetteredAndTheOthersAreSent() {
        List<OutboundEntry> list = new ArrayList<>(entries(2));
        list.add(new OutboundEntry("p", "s", "big", "io.waybill", "t", "x".repeat(300_000), List.of(), T));
        PartnerDelivery.Outcome out = delivery.deliver(list);
        assertEquals(List.of(List.of("e0", "e1")), bus.calls);
        // io.waybill 10 + t 1 + 300,000 + Time 14 = 300,025
        assertEquals(1, dead.letters.size());
        assertTrue(dead.letters.get(0).startsWith("big: entry size 300025 bytes"), dead.letters.get(0));
        assertEquals(2, out.delivered().size());
    }
}
