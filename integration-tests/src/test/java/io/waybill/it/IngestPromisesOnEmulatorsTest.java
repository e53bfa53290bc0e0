package io.waybill.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.waybill.aws.deadletter.SqsDeadLetterSink;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.aws.eventstore.ShipmentItem;
import io.waybill.domain.ingestion.BatchIngestion;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.ingestion.reference.Agreement;
import io.waybill.domain.ingestion.reference.FlakyPorts;
import io.waybill.domain.ingestion.reference.LambdaDelivery;
import io.waybill.domain.ingestion.reference.RawMessages;
import io.waybill.domain.ingestion.reference.ReferenceIngest;
import io.waybill.domain.ingestion.reference.Traffic;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.ingestion.reference.TrafficArbitraries;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.local.AwsClients;
import io.waybill.local.pipeline.BatchTally;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.StackResources;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The ingest promises of {@code IngestPromisesPropertiesTest} (functions/domain) against the real adapters on the local
 * emulators: the same generated traffic and the same reference model ({@link ReferenceIngest}), with the event store
 * and the projection in DynamoDB tables on dynalite ({@link DynamoDbEventLedger}, {@link DynamoDbShipmentStateStore})
 * and the dead letters in an ElasticMQ queue ({@link SqsDeadLetterSink}); then through the whole local pipeline
 * (kinesis-mock stream, event source mapping, {@code IngestHandler}). Fewer tries than the domain properties: each
 * costs real requests.
 */
class IngestPromisesOnEmulatorsTest {
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static LocalAwsStack stack;

    @BeforeContainer
    static void startTheEmulators() {
        stack = LocalAwsStack.start();
    }

    @AfterContainer
    static void stopTheEmulators() {
        if (stack != null) {
            stack.close();
        }
    }

    @Provide
    Arbitrary<Traffic> traffic() {
        return TrafficArbitraries.traffic(TrafficArbitraries.Options.EVERYTHING);
    }

    /**
     * Shards on threads of their own, the ports failing transiently at random points (before a request, or after it
     * took effect with the answer lost): the tables and the queue end as the reference says.
     */
    @Property(tries = 12)
    void theTablesOnDynaliteEndInTheReferenceState(@ForAll("traffic") Traffic traffic, @ForAll long order,
                                                   @ForAll long faults,
                                                   @ForAll @IntRange(min = 1, max = 12) int maxBatch) {
        tablesEndInTheReferenceState(stack.clients(), traffic, order, faults, maxBatch);
    }

    /**
     * The check behind {@link #theTablesOnDynaliteEndInTheReferenceState}, on any back end's clients (the LocalStack
     * run, {@link IngestPromisesOnLocalStackTest}, calls it too).
     */
    static void tablesEndInTheReferenceState(AwsClients clients, Traffic traffic, long order, long faults,
                                             int maxBatch) {
        StackResources resources = StackResources.using(clients);
        String prefix = "wb-props-" + RUN + "-" + TRIES.incrementAndGet();
        resources.createTable(EventStoreTables.events(prefix + "-events"));
        resources.createTable(EventStoreTables.shipments(prefix + "-shipments"));
        String queueUrl = resources.createQueue(prefix + "-dlq").url();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(clients.dynamoDb()).build();
        FlakyPorts flaky = new FlakyPorts(faults, 0.05, 20);
        BatchIngestion ingestion = new BatchIngestion(RecordNormalizer.standard(),
                flaky.ledger(new DynamoDbEventLedger(enhanced, prefix + "-events", Clock.systemUTC())),
                flaky.shipments(new DynamoDbShipmentStateStore(enhanced, prefix + "-shipments")),
                flaky.deadLetters(new SqsDeadLetterSink(clients.sqs(), queueUrl)), CanonicalEventPublisher.NONE,
                Clock.systemUTC(), null);
        LambdaDelivery delivery = new LambdaDelivery(ingestion);

        delivery.deliverConcurrently(LambdaDelivery.perShard(traffic, maxBatch, new Random(order)));

        ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
        Agreement.storedFactsAreTheReference(expected, storedJson(clients, prefix + "-events"));
        Agreement.projectionsAreTheReference(expected, shipments(enhanced, prefix + "-shipments"));
        Agreement.everyRecordIsAccountedForOnce(traffic, expected, delivery.outcomes());
        Map<Integer, byte[]> payloads = new HashMap<>();
        traffic.all().forEach(d -> payloads.put(d.serial(), RawMessages.render(d)));
        Agreement.everyConflictIsDeadLettered(expected, deadLetters(clients, queueUrl), payloads);
    }

    /**
     * The whole local pipeline: every delivery put on the stream with its producer as partition key (so a
     * producer's copies keep their order on one shard), consumed by the event source mapping into
     * {@code IngestHandler}. The tables equal the reference, the handler accounts for every record once, and the
     * dead-letter queue holds exactly the conflicting deliveries.
     */
    @Property(tries = 4)
    void theWholeLocalPipelineEndsInTheReferenceState(@ForAll("traffic") Traffic traffic) {
        List<byte[]> payloads = new ArrayList<>();
        List<String> partitionKeys = new ArrayList<>();
        for (Delivery d : traffic.all()) {
            payloads.add(RawMessages.render(d));
            partitionKeys.add(d.reading().producer().id());
        }
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("wb-props-" + RUN + "-" + TRIES.incrementAndGet())).deploy()) {
            pipeline.publish(payloads, partitionKeys);
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).as("the pipeline handled everything put").isTrue();

            ReferenceIngest.Expected expected = ReferenceIngest.of(traffic);
            Map<String, String> stored = new HashMap<>();
            pipeline.storedEvents().forEach(i -> stored.put(i.get("eventKey").s(), i.get("eventJson").s()));
            Agreement.storedFactsAreTheReference(expected, stored);
            Agreement.projectionsAreTheReference(expected, pipeline.shipments());

            BatchTally tally = pipeline.tally();
            assertThat(tally.count(RecordOutcome.STORED) + tally.duplicates() + tally.count(RecordOutcome.DEAD_LETTERED))
                    .as("records put = stored + duplicates + dead-lettered").isEqualTo(traffic.size());
            List<String> conflicting = expected.conflicts().keySet().stream()
                    .map(d -> new String(RawMessages.render(d), java.nio.charset.StandardCharsets.UTF_8)).sorted().toList();
            List<DeadLetter> letters = pipeline.drainDeadLetters(false).stream()
                    .map(m -> DeadLetterJson.fromJson(m.body())).toList();
            assertThat(letters).allSatisfy(l -> assertThat(l.reason()).isEqualTo(RejectionReason.ID_CONFLICT));
            assertThat(letters.stream().map(l -> new String(l.payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .distinct().sorted().toList()).as("payloads in the dead-letter queue").isEqualTo(
                    conflicting.stream().distinct().toList());
        }
    }

    private static Map<String, String> storedJson(AwsClients clients, String table) {
        Map<String, String> json = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = clients.dynamoDb().scan(ScanRequest.builder().tableName(table)
                    .consistentRead(true).exclusiveStartKey(start).build());
            page.items().forEach(i -> json.put(i.get("eventKey").s(), i.get("eventJson").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return json;
    }

    private static Map<String, ShipmentState> shipments(DynamoDbEnhancedClient enhanced, String table) {
        Map<String, ShipmentState> states = new HashMap<>();
        enhanced.table(table, TableSchema.fromBean(ShipmentItem.class)).scan().items()
                .forEach(i -> states.put(i.getShipmentSscc(), DynamoDbShipmentStateStore.toState(i)));
        return states;
    }

    private static List<DeadLetter> deadLetters(AwsClients clients, String queueUrl) {
        List<DeadLetter> letters = new ArrayList<>();
        while (true) {
            List<Message> batch = clients.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(300).build()).messages();
            if (batch.isEmpty()) {
                return letters;
            }
            batch.forEach(m -> letters.add(DeadLetterJson.fromJson(m.body())));
        }
    }
}
