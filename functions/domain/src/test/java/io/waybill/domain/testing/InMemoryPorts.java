package io.waybill.domain.testing;

import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.StoredEventLookup;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.projection.ShipmentState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory implementations of the domain's own ports (not of any AWS API), with switchable transient failures,
 * so the batch semantics can be tested in milliseconds. The DynamoDB/SQS adapters are tested on emulators. Safe to
 * share between threads (shards delivered concurrently), like the tables they stand for.
 */
public final class InMemoryPorts {
    private InMemoryPorts() {
    }

    public static final class Ledger implements EventLedger, StoredEventLookup {
        public final Map<String, NormalizationResult.Normalized> stored = new LinkedHashMap<>();
        public int writeRequests;
        /** Reads by key ({@link StoredEventLookup}), in order. */
        public final List<String> reads = new ArrayList<>();
        /** Event keys whose append fails transiently once. */
        public final Set<String> failOnceFor = new HashSet<>();

        @Override
        public synchronized Append append(NormalizationResult.Normalized event, Instant handlerStartedAt) {
            writeRequests++;
            if (failOnceFor.remove(event.event().eventKey())) {
                throw new TransientDependencyException("event store", "throttled", null);
            }
            NormalizationResult.Normalized earlier = stored.putIfAbsent(event.event().eventKey(), event);
            return earlier == null ? Append.APPENDED
                    : Append.existing(earlier.json(), earlier.event().contenthash(), event.event().contenthash());
        }

        @Override
        public synchronized Optional<String> storedJson(String eventKey) {
            reads.add(eventKey);
            return Optional.ofNullable(stored.get(eventKey)).map(NormalizationResult.Normalized::json);
        }
    }

    public static final class Shipments implements ShipmentStateStore {
        public final Map<String, Versioned> items = new LinkedHashMap<>();
        public int saves;
        public int failNextSaves;
        /** Simulates another writer: the next save of this shipment finds a newer version once. */
        public final Set<String> conflictOnceFor = new HashSet<>();

        @Override
        public synchronized Versioned load(String sscc) {
            return items.getOrDefault(sscc, new Versioned(null, null));
        }

        @Override
        public synchronized boolean save(ShipmentState state, Long expectedVersion) {
            saves++;
            if (failNextSaves > 0) {
                failNextSaves--;
                throw new TransientDependencyException("shipment projection", "timeout", null);
            }
            if (conflictOnceFor.remove(state.shipmentSscc())) {
                Versioned current = load(state.shipmentSscc());
                items.put(state.shipmentSscc(), new Versioned(current.state(), current.version() == null ? 1 : current.version() + 1));
                return false;
            }
            Long current = items.containsKey(state.shipmentSscc()) ? items.get(state.shipmentSscc()).version() : null;
            if (!java.util.Objects.equals(current, expectedVersion)) {
                return false;
            }
            items.put(state.shipmentSscc(), new Versioned(state, expectedVersion == null ? 1 : expectedVersion + 1));
            return true;
        }

        public synchronized ShipmentState state(String sscc) {
            return items.get(sscc).state();
        }
    }

    /** The canonical event stream: keeps every publication, in order, and accepts them all. */
    public static final class CanonicalStream implements CanonicalEventPublisher {
        public final List<Publication> published = new ArrayList<>();

        @Override
        public synchronized int publish(List<Publication> events) {
            published.addAll(events);
            return events.size();
        }
    }

    public static final class DeadLetters implements DeadLetterSink {
        public final List<DeadLetter> sent = new ArrayList<>();
        public boolean unavailable;

        @Override
        public synchronized void send(DeadLetter letter) {
            if (unavailable) {
                throw new TransientDependencyException("dead-letter queue", "unavailable", null);
            }
            sent.add(letter);
        }
    }

    /**
     * The device registry: devices by thing; {@code advanceSequences} raises each key's last sequence as the table's
     * conditional update does (never lowers it). A read or an advance can be made to fail transiently.
     */
    public static final class Devices implements io.waybill.domain.device.DeviceRegistry {
        public final Map<String, io.waybill.domain.device.RegisteredDevice> devices = new LinkedHashMap<>();
        public final List<Map<String, Map<String, Long>>> advances = new ArrayList<>();
        /** What {@code recordSeen} was told, newest wins per thing. */
        public final Map<String, java.time.Instant> seen = new java.util.HashMap<>();
        public int reads;
        public boolean unavailable;
        public boolean advanceFails;

        public synchronized void put(io.waybill.domain.device.RegisteredDevice d) {
            devices.put(d.thing(), d);
        }

        @Override
        public synchronized Map<String, io.waybill.domain.device.RegisteredDevice> find(Set<String> things, boolean fresh) {
            reads++;
            if (unavailable) {
                throw new TransientDependencyException("device registry", "throttled", null);
            }
            Map<String, io.waybill.domain.device.RegisteredDevice> found = new LinkedHashMap<>();
            things.stream().filter(devices::containsKey).forEach(t -> found.put(t, devices.get(t)));
            return found;
        }

        @Override
        public synchronized void recordSeen(Map<String, java.time.Instant> latestArrival) {
            latestArrival.forEach((thing, at) -> seen.merge(thing, at, (a, b) -> a.isAfter(b) ? a : b));
        }

        @Override
        public synchronized void advanceSequences(Map<String, Map<String, Long>> highest) {
            if (advanceFails) {
                throw new TransientDependencyException("device registry", "throttled", null);
            }
            advances.add(highest);
            highest.forEach((thing, byKid) -> {
                io.waybill.domain.device.RegisteredDevice d = devices.get(thing);
                Map<String, Long> last = new java.util.HashMap<>(d.lastSequence());
                byKid.forEach((kid, seq) -> last.merge(kid, seq, Math::max));
                devices.put(thing, new io.waybill.domain.device.RegisteredDevice(d.thing(), d.adapter(), d.status(),
                        d.scope(), d.keys(), d.assignments(), last, d.registeredAt()));
            });
        }
    }
}
