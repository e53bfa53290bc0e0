package io.waybill.opsapi;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.DeadLetterIds;
import io.waybill.domain.ingestion.ReplayVerdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dead-letter desk, its list and the ingest stream as maps and lists (the DynamoDB semantics by hand). */
final class DeskFakes {
    private DeskFakes() {
    }

    /** A desk in a map: conditional claim and mark as the table's condition expressions would do them. */
    static final class Desk implements DeadLetterDesk, DeadLetterReadModel {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final Map<String, String> claimedBy = new LinkedHashMap<>();
        final Map<String, Instant> claimedUntil = new LinkedHashMap<>();

        @Override
        public synchronized String record(DeadLetter letter) {
            String id = DeadLetterIds.of(letter);
            entries.putIfAbsent(id, new Entry(id, letter, ReplayVerdict.keptUnlessNamed(letter.reason())
                    ? Status.KEPT : Status.PENDING, null, null));
            return id;
        }

        @Override
        public synchronized Optional<Entry> find(String id) {
            return Optional.ofNullable(entries.get(id));
        }

        @Override
        public synchronized boolean claim(String id, String by, Instant now, Duration lease) {
            Entry e = entries.get(id);
            if (e == null || e.status() != Status.PENDING
                    || (claimedUntil.containsKey(id) && !claimedUntil.get(id).isBefore(now))) {
                return false;
            }
            claimedBy.put(id, by);
            claimedUntil.put(id, now.plus(lease));
            return true;
        }

        @Override
        public synchronized void release(String id, String by) {
            if (by.equals(claimedBy.get(id))) {
                claimedBy.remove(id);
                claimedUntil.remove(id);
            }
        }

        @Override
        public synchronized boolean markReplayed(String id, String by, Instant at) {
            Entry e = entries.get(id);
            if (e == null || e.status() != Status.PENDING) {
                return false;
            }
            entries.put(id, new Entry(id, e.letter(), Status.REPLAYED, at, by));
            claimedBy.remove(id);
            claimedUntil.remove(id);
            return true;
        }

        @Override
        public synchronized Page<Entry> list(Filter filter, String pageToken, int limit) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries.values()) {
                if ((filter.reason() == null || filter.reason() == e.letter().reason())
                        && (filter.adapter() == null || filter.adapter().equals(e.letter().adapter()))
                        && (filter.status() == null || filter.status() == e.status()) && out.size() < limit) {
                    out.add(e);
                }
            }
            return new Page<>(out, null);
        }
    }

    /** The ingest stream: what was put, in order; refuses the partition keys in {@code refuse}. */
    static final class Stream implements StreamRedrive {
        final List<Entry> put = new ArrayList<>();
        final java.util.Set<String> refuse = new java.util.HashSet<>();

        @Override
        public synchronized List<String> put(List<Entry> entries) {
            List<String> errors = new ArrayList<>();
            for (Entry e : entries) {
                if (refuse.contains(e.partitionKey())) {
                    errors.add("ProvisionedThroughputExceededException: slow down");
                } else {
                    put.add(e);
                    errors.add(null);
                }
            }
            return errors;
        }
    }
}
