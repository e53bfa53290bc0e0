package io.waybill.domain.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.ingestion.reference.Agreement;
import io.waybill.domain.ingestion.reference.FlakyPorts;
import io.waybill.domain.ingestion.reference.LambdaDelivery;
import io.waybill.domain.ingestion.reference.RawMessages;
import io.waybill.domain.ingestion.reference.ReferenceIngest;
import io.waybill.domain.ingestion.reference.Traffic;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.ingestion.reference.TrafficArbitraries;
import io.waybill.domain.ingestion.reference.TrafficArbitraries.Options;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.testing.InMemoryPorts;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promises of truthful ingest (issue 10, root README "Idempotent ingestion") for all generated traffic: the
 * expected result of every property comes from {@link ReferenceIngest}, a model that knows the generated facts and
 * calls none of the production classes. The pipeline is {@link BatchIngestion} with the standard normaliser and
 * adapters, behind in-memory implementations of its own ports, driven with Lambda's redelivery semantics
 * ({@link LambdaDelivery}). {@code IngestPromisesOnEmulatorsTest} in {@code integration-tests} runs the same model
 * against the DynamoDB tables on dynalite.
 */
class IngestPromisesPropertiesTest {
    /** Runs a batch's writes concurrently, as the ingest Lambda does with {@code WAYBILL_WRITE_CONCURRENCY}. */
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(4);

    @AfterContainer
    static void stopWriters() {
        WRITERS.shutdownNow();
    }

    @Provide
    Arbitrary<Traffic> traffic() {
        return TrafficArbitraries.traffic(Options.EVERYTHING);
    }

    @Provide
    Arbitrary<Traffic> orderFreeTraffic() {
        return TrafficArbitraries.traffic(Options.ORDER_FREE);
    }

    @Property(tries = 200)
    void anyRedeliveryEndsInTheReferenceState(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                              @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(null, false);

        p.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, new Random(order)));

        p.endsInTheReferenceState(traffic);
    }

    @Property(tries = 200)
    void everyIdConflictIsDeadLetteredWithBothVersions(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                                       @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(null, false);

        p.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, new Random(order)));

        ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
        Agreement.everyConflictIsDeadLettered(expected, p.deadLetters.sent, payloads(traffic));
        Agreement.everyRecordIsAccountedForOnce(traffic, expected, p.delivery.outcomes());
    }

    /** With transient failures at random points and redelivery from the first failed record: nothing lost. */
    @Property(tries = 200)
    void recordsInEqualStoredPlusDuplicatesPlusDeadLettered(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                                            @ForAll long faults,
                                                            @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(new FlakyPorts(faults, 0.08, 40), false);

        p.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, new Random(order)));

        ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
        Agreement.everyRecordIsAccountedForOnce(traffic, expected, p.delivery.outcomes());
        Agreement.everyConflictIsDeadLettered(expected, p.deadLetters.sent, payloads(traffic));
    }

    @Property(tries = 200)
    void transientFailuresAtRandomPointsEndInTheReferenceState(@ForAll("traffic") Traffic traffic,
                                                               @ForAll long order, @ForAll long faults,
                                                               @ForAll boolean concurrentWrites,
                                                               @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(new FlakyPorts(faults, 0.08, 40), concurrentWrites);

        p.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, new Random(order)));

        p.endsInTheReferenceState(traffic);
    }

    /** Shards on threads of their own against the same stores: the projection's version check under contention. */
    @Property(tries = 50)
    void concurrentShardsEndInTheReferenceState(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                                @ForAll long faults, @ForAll boolean concurrentWrites,
                                                @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(new FlakyPorts(faults, 0.05, 30), concurrentWrites);

        p.delivery.deliverConcurrently(LambdaDelivery.perShard(traffic, maxBatch, new Random(order)));

        p.endsInTheReferenceState(traffic);
    }

    /**
     * Every stored fact resent up to 60 days later (a new receive time, so a new reference time for the clock rule):
     * the store and the projections do not change by a byte.
     */
    @Property(tries = 100)
    void aResendNeverChangesAStoredFact(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                        @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline p = new Pipeline(null, false);
        Random r = new Random(order);
        p.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, r));
        Map<String, String> storedBefore = new TreeMap<>(p.storedJson());
        Map<String, ShipmentState> statesBefore = p.states();

        List<Delivery> resends = new ArrayList<>();
        int serial = traffic.size();
        for (ReferenceIngest.Fact f : ReferenceIngest.of(traffic).facts().values()) {
            resends.add(new Delivery(f.reading(), f.firstCopy().receivedAt()
                    .plus(Duration.ofMinutes(1 + r.nextInt(60 * 24 * 60))), serial++));
        }
        Collections.shuffle(resends, r);
        Traffic late = new Traffic(List.of(resends));
        p.delivery.deliver(LambdaDelivery.interleaved(late, maxBatch, r));

        assertThat(p.storedJson()).as("stored events, byte for byte").isEqualTo(storedBefore);
        assertThat(p.states()).as("projections").isEqualTo(statesBefore);
        resends.forEach(d -> assertThat(p.delivery.outcomes().get(d.serial())).as("outcome of %s", d)
                .isIn(RecordOutcome.DUPLICATE_IN_STORE, RecordOutcome.DUPLICATE_IN_BATCH));
    }

    /**
     * The same traffic (no id reuse, no capped clocks: nothing whose first copy matters) delivered in two orders:
     * shards interleaved and cut differently one after another, or each shard reshuffled and all shards on threads.
     * Both end with the same facts and projections, and both are the reference's.
     */
    @Property(tries = 100)
    void orderOfDeliveryDoesNotChangeTheFinalState(@ForAll("orderFreeTraffic") Traffic traffic,
                                                   @ForAll long orderA, @ForAll long orderB,
                                                   @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        Pipeline a = new Pipeline(null, false);
        a.delivery.deliver(LambdaDelivery.interleaved(traffic, maxBatch, new Random(orderA)));
        Random r = new Random(orderB);
        List<List<Delivery>> reshuffled = new ArrayList<>();
        traffic.shards().forEach(s -> {
            List<Delivery> copy = new ArrayList<>(s);
            Collections.shuffle(copy, r);
            reshuffled.add(copy);
        });
        Traffic otherOrder = new Traffic(reshuffled);
        Pipeline b = new Pipeline(null, true);
        b.delivery.deliverConcurrently(LambdaDelivery.perShard(otherOrder, maxBatch, r));

        assertThat(b.facts()).as("facts after the second order").isEqualTo(a.facts());
        assertThat(b.states()).as("projections after the second order").isEqualTo(a.states());
        ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
        assertThat(ReferenceIngest.of(otherOrder).shipments()).isEqualTo(expected.shipments());
        Agreement.storedFactsAreTheReference(expected, b.storedJson());
        Agreement.projectionsAreTheReference(expected, a.states());
    }

    private static Map<Integer, byte[]> payloads(Traffic traffic) {
        Map<Integer, byte[]> bySerial = new HashMap<>();
        traffic.all().forEach(d -> bySerial.put(d.serial(), RawMessages.render(d)));
        return bySerial;
    }

    /** The standard normaliser and {@link BatchIngestion} on in-memory ports, optionally failing at random. */
    private static final class Pipeline {
        final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
        final InMemoryPorts.Shipments shipments = new InMemoryPorts.Shipments();
        final InMemoryPorts.DeadLetters deadLetters = new InMemoryPorts.DeadLetters();
        final List<CanonicalEventPublisher.Publication> published = Collections.synchronizedList(new ArrayList<>());
        final LambdaDelivery delivery;

        Pipeline(FlakyPorts flaky, boolean concurrentWrites) {
            CanonicalEventPublisher stream = events -> {
                published.addAll(events);
                return events.size();
            };
            BatchIngestion ingestion = flaky == null
                    ? new BatchIngestion(RecordNormalizer.standard(), ledger, shipments, deadLetters, stream,
                    Clock.systemUTC(), concurrentWrites ? WRITERS : null)
                    : new BatchIngestion(RecordNormalizer.standard(), flaky.ledger(ledger), flaky.shipments(shipments),
                    flaky.deadLetters(deadLetters), flaky.publisher(stream), Clock.systemUTC(),
                    concurrentWrites ? WRITERS : null);
            delivery = new LambdaDelivery(ingestion);
        }

        Map<String, String> storedJson() {
            Map<String, String> json = new TreeMap<>();
            ledger.stored.forEach((k, n) -> json.put(k, n.json()));
            return json;
        }

        /** The stored events without what differs between copies (arrival, processing, lateness). */
        Map<String, JsonNode> facts() {
            Map<String, JsonNode> facts = new TreeMap<>();
            storedJson().forEach((k, json) -> {
                try {
                    com.fasterxml.jackson.databind.node.ObjectNode e =
                            (com.fasterxml.jackson.databind.node.ObjectNode) CanonicalEventJson.MAPPER.readTree(json);
                    e.remove(List.of("brokertime", "streamtime", "processingtime", "clockskewms", "late"));
                    facts.put(k, e);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            return facts;
        }

        Map<String, ShipmentState> states() {
            Map<String, ShipmentState> states = new TreeMap<>();
            shipments.items.forEach((sscc, v) -> states.put(sscc, v.state()));
            return states;
        }

        /**
         * The store, the projections, every record's outcome and the dead letters are the reference's, and every
         * stored fact reached the canonical stream.
         */
        void endsInTheReferenceState(Traffic traffic) {
            ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
            Agreement.storedFactsAreTheReference(expected, storedJson());
            Agreement.projectionsAreTheReference(expected, states());
            Agreement.everyRecordIsAccountedForOnce(traffic, expected, delivery.outcomes());
            Agreement.everyConflictIsDeadLettered(expected, deadLetters.sent, payloads(traffic));
            everyStoredFactIsPublishedAsStored();
        }

        /** Every stored fact reached the canonical stream at least once, and only ever as stored. */
        void everyStoredFactIsPublishedAsStored() {
            Map<String, String> stored = storedJson();
            Map<String, String> onStream = new HashMap<>();
            synchronized (published) {
                for (CanonicalEventPublisher.Publication pub : published) {
                    assertThat(pub.json()).as("published copy of %s", pub.event().eventKey())
                            .isEqualTo(stored.get(pub.event().eventKey()));
                    onStream.put(pub.event().eventKey(), pub.json());
                }
            }
            assertThat(onStream.keySet()).as("facts on the canonical stream").isEqualTo(stored.keySet());
        }
    }
}
