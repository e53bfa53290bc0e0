package io.waybill.local.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.partner.PartnerIngressEnvironment;
import io.waybill.aws.partner.PartnerTables;
import io.waybill.local.events.EventRuleDefinition;
import io.waybill.local.events.LocalEventBus;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.partneringress.PartnerIngressFunction;
import io.waybill.partneringress.PartnerIngressHandler;
import io.waybill.partneringress.PartnerIngressTelemetry;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partner ingress end to end: the deployed ingress rule file on the local bus, {@link PartnerIngressHandler} as its
 * target on the emulators (master data in dynalite, the ingest stream in kinesis-local, the ingress dead-letter queue
 * in ElasticMQ), events put with the real {@link EventBridgeClient} under three senders' credentials (the local bus
 * stamps each credential's account, as EventBridge stamps the sender's). Expected: the raw records are the
 * events-samples raw files' routes and fields; the ingest pipeline stores each partner fact once although the 3PL's
 * event is delivered twice and the supplier puts its notice twice; a stranger's event is in the ingress dead-letter
 * queue with its reason and the event as delivered.
 */
@Timeout(240)
class PartnerIngressThroughLocalBusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULE = Path.of("..", "infra-cdk", "event-rules", "partner-ingress-shipment-status.json");
    private static final String TABLE = "partners-ingress-test";
    private static final String BUS = "waybill-partners";
    private static final String FUNCTION = "arn:local:partner-function";
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(CreateTableRequest.builder().tableName(TABLE)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(PartnerTables.PK)
                                .attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(PartnerTables.SK)
                                .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PartnerTables.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(PartnerTables.SK).keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST).build());
        register("SWIFTLOG", "111122223333", "partner.3pl.swiftlog", "swiftlog", "ShipmentStatus");
        register("NORDIC-PHARMA", "444455556666", "partner.supplier.nordic-pharma", "asn", "AdvanceShipNotice");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void register(String partner, String account, String source, String adapter, String detailType) {
        stack.clients().dynamoDb().putItem(b -> b.tableName(TABLE).item(Map.of(
                PartnerTables.PK, AttributeValue.fromS(PartnerTables.PARTNER_PK),
                PartnerTables.SK, AttributeValue.fromS(partner),
                PartnerTables.INGRESS_ACCOUNTS, AttributeValue.fromSs(List.of(account)),
                PartnerTables.INGRESS_SOURCES, AttributeValue.fromSs(List.of(source)),
                PartnerTables.INGRESS_ADAPTER, AttributeValue.fromS(adapter),
                PartnerTables.INGRESS_DETAIL_TYPES, AttributeValue.fromSs(List.of(detailType)))));
    }

    private static EventBridgeClient sender(LocalEventBus bus, SdkHttpClient http, String accessKeyId) {
        return EventBridgeClient.builder().endpointOverride(bus.uri()).region(Region.US_EAST_1).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local")))
                .build();
    }

    /** Puts a sample event's source, detail-type and detail as its sender would. */
    private static String put(EventBridgeClient events, String sample) {
        JsonNode e = SampleCatalog.json("lambda/" + sample);
        PutEventsResponse r = events.putEvents(b -> b.entries(x -> x.eventBusName(BUS).source(e.path("source").asText())
                .detailType(e.path("detail-type").asText()).detail(e.path("detail").toString())));
        assertThat(r.failedEntryCount()).isZero();
        return r.entries().get(0).eventId();
    }

    @Test
    void partnerEventsBecomeRawRecordsOnTheirPartnersRouteAndCanonicalEventsOnce() throws Exception {
        PipelineNames names = PipelineNames.withPrefix("partner-ingress");
        StackResources resources = StackResources.using(stack.clients());
        StackResources.Queue ingressDlq = resources.createQueue("partner-ingress-refused");
        StackResources.Queue ruleDlq = resources.createQueue("partner-ingress-rule-dlq");
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(names).shards(2).deploy();
             LocalEventBus bus = LocalEventBus.builder().deadLetterQueues(stack.clients().sqs())
                     .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                     .senderAccount("SWIFTLOGKEY", "111122223333").senderAccount("NORDICKEY", "444455556666")
                     .senderAccount("STRANGERKEY", "999988887777").start();
             SdkHttpClient http = Apache5HttpClient.builder().build();
             EventBridgeClient waybill = sender(bus, http, "local");
             EventBridgeClient swiftlog = sender(bus, http, "SWIFTLOGKEY");
             EventBridgeClient nordic = sender(bus, http, "NORDICKEY");
             EventBridgeClient stranger = sender(bus, http, "STRANGERKEY")) {
            PartnerIngressHandler handler = new PartnerIngressHandler(PartnerIngressFunction.compose(
                    new PartnerIngressEnvironment(TABLE, names.stream(), ingressDlq.url(), BUS, Duration.ofSeconds(60)),
                    stack.clients().dynamoDb(), stack.clients().kinesis(), stack.clients().sqs(), Clock.systemUTC()),
                    new PartnerIngressTelemetry(null));
            List<String> delivered = new CopyOnWriteArrayList<>();
            bus.registerTarget(FUNCTION, eventJson -> {
                delivered.add(eventJson);
                handler.handle(eventJson);
            });
            waybill.createEventBus(b -> b.name(BUS));
            Map<String, String> bindings = Map.of("PartnerBus.eventBusName", BUS, "PartnerFunction.functionArn", FUNCTION,
                    "PartnerIngressDlq.queueArn", ruleDlq.arn());
            EventRuleDefinition.read(RULE).bind(bindings::get).putWith(waybill);

            String statusId = put(swiftlog, "eventbridge-3pl-shipment-status.json");
            String noticeId = put(nordic, "eventbridge-supplier-advance-ship-notice.json");
            String noticeAgainId = put(nordic, "eventbridge-supplier-advance-ship-notice.json");
            String strangerId = put(stranger, "eventbridge-3pl-shipment-status.json");
            assertThat(bus.awaitDeliveries(Duration.ofSeconds(30))).isTrue();
            assertThat(delivered).hasSize(4);
            // at least once: EventBridge may deliver the same event again; here the 3PL's, by hand
            String statusEvent = delivered.stream().filter(d -> d.contains(statusId)).findFirst().orElseThrow();
            handler.handle(statusEvent);

            // the raw records on the ingest stream: the partner's route from its account, the detail's fields
            List<Record> raw = records(stack.clients().kinesis(), names.stream());
            assertThat(raw).hasSize(4);
            List<ObjectNode> swift = new ArrayList<>();
            List<ObjectNode> asn = new ArrayList<>();
            for (Record r : raw) {
                ObjectNode json = (ObjectNode) JSON.readTree(r.data().asUtf8String());
                (json.path("wb_route").asText().equals("swiftlog/SWIFTLOG") ? swift : asn).add(json);
                assertThat(r.partitionKey()).isEqualTo(json.path("wb_route").asText().startsWith("swiftlog")
                        ? "106141412345678908" : "006141410000007318");
            }
            assertThat(swift).hasSize(2).allSatisfy(j -> assertThat(j.path("wb_partner_event_id").asText()).isEqualTo(statusId));
            assertThat(asn).hasSize(2).allSatisfy(j -> assertThat(j.path("wb_route").asText()).isEqualTo("asn/NORDIC-PHARMA"));
            assertThat(asn).extracting(j -> j.path("wb_partner_event_id").asText()).containsExactlyInAnyOrder(noticeId, noticeAgainId);
            assertWithoutStamps(swift.get(0), "raw/swiftlog/departed.json");
            assertWithoutStamps(asn.get(0), "raw/asn/advance-ship-notice.json");

            // the stranger's event: refused, kept with the reason, its origin and the event as delivered
            List<Message> refused = stack.clients().sqs().receiveMessage(b -> b.queueUrl(ingressDlq.url())
                    .maxNumberOfMessages(10).messageAttributeNames("All").waitTimeSeconds(1)).messages();
            assertThat(refused).hasSize(1);
            Message m = refused.get(0);
            assertThat(m.messageAttributes().get("REASON").stringValue()).isEqualTo("UNKNOWN_SENDER");
            assertThat(m.messageAttributes().get("ACCOUNT").stringValue()).isEqualTo("999988887777");
            assertThat(m.messageAttributes().get("SOURCE").stringValue()).isEqualTo("partner.3pl.swiftlog");
            assertThat(m.messageAttributes().get("BUS").stringValue()).isEqualTo(BUS);
            JsonNode body = JSON.readTree(m.body());
            assertThat(body.path("id").asText()).isEqualTo(strangerId);
            assertThat(body.path("detail")).isEqualTo(SampleCatalog.json("lambda/eventbridge-3pl-shipment-status.json").path("detail"));
            assertThat(stack.clients().sqs().getQueueAttributes(b -> b.queueUrl(ruleDlq.url())
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                    .get("ApproximateNumberOfMessages")).as("every delivery succeeded").isEqualTo("0");

            // the ingest pipeline: one canonical event per partner fact, no id conflict, nothing dead-lettered
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.storedEvents()).extracting(i -> i.get("eventId").s())
                    .containsExactlyInAnyOrder("SL-20261127-000981", "ASN-2026-000731-r1");
            assertThat(pipeline.storedEvents()).extracting(i -> i.get("source").s())
                    .containsExactlyInAnyOrder("urn:waybill:swiftlog:SWIFTLOG", "urn:waybill:asn:NORDIC-PHARMA");
            assertThat(pipeline.deadLetterCount()).isZero();
        }
    }

    /** The record minus its receive time and event id is the sample minus its receive time. */
    private static void assertWithoutStamps(ObjectNode record, String sample) {
        ObjectNode expected = (ObjectNode) SampleCatalog.json(sample);
        expected.remove(List.of("wb_received_ms", "wb_partner_event_id"));
        ObjectNode actual = record.deepCopy();
        actual.remove(List.of("wb_received_ms", "wb_partner_event_id"));
        assertThat(actual).isEqualTo(expected);
    }

    private static List<Record> records(KinesisClient kinesis, String stream) {
        List<Record> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int i = 0; i < 20 && it != null; i++) {
                String from = it;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(from).limit(1000));
                out.addAll(r.records());
                if (r.records().isEmpty()) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return out;
    }
}
