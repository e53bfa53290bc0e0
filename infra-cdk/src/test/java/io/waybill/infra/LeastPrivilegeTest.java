package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every IAM role the stack creates, read from the synthesised template alone: per role (by its description), per
 * resource (by the name the template gives it: table, stream, queue, log group, bucket, or a key's alias), the exact
 * set of actions allowed. The expected table is written out by hand from what each function's code calls (README,
 * "Least privilege"); a key's row says which service the key may be used through ({@code via <service>}), and a key
 * row without it would fail.
 */
class LeastPrivilegeTest {
    private static final Set<String> STREAM_CONSUMER = Set.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard");
    private static final Set<String> TABLE_KEY = Set.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    private static final Set<String> QUEUE_PRODUCER_KEY = Set.of("kms:GenerateDataKey", "kms:Decrypt");
    private static final Set<String> LOG_WRITER = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
    private static final Set<String> XRAY = Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");
    private static final Set<String> GET_PUT = Set.of("dynamodb:GetItem", "dynamodb:PutItem");

    /** What the cold-chain decision function and the breach confirmer both may do to the tables. */
    private static final Map<String, Set<String>> DECIDES_ON_BREACHES = Map.ofEntries(
            Map.entry("waybill-dev-events", GET_PUT),
            Map.entry("waybill-dev-shipments", GET_PUT),
            Map.entry("alias/waybill-dev-event-store via dynamodb", TABLE_KEY),
            Map.entry("waybill-dev-exposure", Set.of("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:GetItem",
                    "dynamodb:Query")),
            Map.entry("waybill-dev-incidents", Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem")),
            Map.entry("waybill-dev-incidents/index/byShipment", Set.of("dynamodb:Query")),
            Map.entry("waybill-dev-compliance", Set.of("dynamodb:PutItem", "dynamodb:Query")),
            Map.entry("alias/waybill-dev-cold-chain-store via dynamodb", TABLE_KEY),
            Map.entry("topic waybill-dev-incidents", Set.of("sns:Publish")),
            Map.entry("alias/waybill-dev-incident-notifications via sns", Set.of("kms:GenerateDataKey", "kms:Decrypt")));

    /** Role description -> resource -> actions, for the {@code dev} stage. */
    private static final Map<String, Map<String, Set<String>>> EXPECTED = roles(Map.of(
            "Waybill dev ingest function", Map.ofEntries(
                    Map.entry("/aws/lambda/waybill-dev-ingest", LOG_WRITER),
                    Map.entry("*", XRAY),
                    Map.entry("waybill-dev-events", GET_PUT),
                    Map.entry("waybill-dev-shipments", GET_PUT),
                    Map.entry("alias/waybill-dev-event-store via dynamodb", TABLE_KEY),
                    Map.entry("waybill-dev-ingest-dead-letters", Set.of("sqs:SendMessage")),
                    // issue 12: a notice per dead-lettered edge message, for the edge settlement function
                    Map.entry("waybill-dev-edge-settlements", Set.of("sqs:SendMessage")),
                    Map.entry("waybill-dev-ingest-failed-batches", Set.of("sqs:SendMessage")),
                    Map.entry("alias/waybill-dev-dead-letters via sqs", QUEUE_PRODUCER_KEY),
                    Map.entry("waybill-dev-canonical-events", Set.of("kinesis:PutRecords")),
                    Map.entry("alias/waybill-dev-canonical-events via kinesis", Set.of("kms:GenerateDataKey")),
                    Map.entry("bucket waybill-dev-dlq/*", Set.of("s3:PutObject")),
                    Map.entry("alias/waybill-dev-dead-letter-payloads via s3", Set.of("kms:GenerateDataKey")),
                    Map.entry("waybill-dev-telemetry", STREAM_CONSUMER),
                    Map.entry("alias/waybill-dev-telemetry via kinesis", Set.of("kms:Decrypt")),
                    Map.entry("waybill-dev-devices", Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
                            "dynamodb:Query")),
                    Map.entry("waybill-dev-devices where dynamodb:LeadingKeys all like [seq#*]",
                            Set.of("dynamodb:UpdateItem")),
                    Map.entry("alias/waybill-dev-device-registry via dynamodb", TABLE_KEY),
                    // the dead-letter desk: one conditional put per letter
                    Map.entry("waybill-dev-dead-letters", Set.of("dynamodb:PutItem")),
                    Map.entry("alias/waybill-dev-dead-letter-desk via dynamodb", TABLE_KEY),
                    // issue 13: its consumer watermark
                    Map.entry("waybill-dev-consumer-watermarks", Set.of("dynamodb:PutItem")),
                    Map.entry("alias/waybill-dev-consumer-watermarks via dynamodb", TABLE_KEY)),
            "Waybill dev device pre-provisioning hook", Map.of(
                    "/aws/lambda/waybill-dev-device-provisioning-hook", LOG_WRITER,
                    "waybill-dev-devices", Set.of("dynamodb:GetItem"),
                    "alias/waybill-dev-device-registry via dynamodb", Set.of("kms:Decrypt")),
            "Waybill dev fleet provisioning (AWS IoT)", Map.of(
                    "iot thing/*", Set.of("iot:CreateThing", "iot:DescribeThing", "iot:UpdateThing",
                            "iot:AttachThingPrincipal"),
                    "iot thingtype/waybill-dev-reefer", Set.of("iot:DescribeThingType"),
                    "iot cert/*", Set.of("iot:DescribeCertificate", "iot:UpdateCertificate", "iot:AttachPolicy"),
                    "iot policy/waybill-dev-device", Set.of("iot:GetPolicy", "iot:AttachPolicy")),
            "Waybill dev cold-chain decision function", with(DECIDES_ON_BREACHES, Map.of(
                    "/aws/lambda/waybill-dev-coldchain", LOG_WRITER,
                    "*", XRAY,
                    "waybill-dev-coldchain-failed-batches", Set.of("sqs:SendMessage"),
                    "alias/waybill-dev-dead-letters via sqs", QUEUE_PRODUCER_KEY,
                    // issue 14: it consumes the canonical stream and puts its decision events on it
                    "waybill-dev-canonical-events", java.util.stream.Stream.concat(STREAM_CONSUMER.stream(),
                            java.util.stream.Stream.of("kinesis:PutRecords")).collect(java.util.stream.Collectors.toSet()),
                    "alias/waybill-dev-canonical-events via kinesis", Set.of("kms:Decrypt", "kms:GenerateDataKey"),
                    "waybill-dev-consumer-watermarks", Set.of("dynamodb:PutItem"),
                    "alias/waybill-dev-consumer-watermarks via dynamodb", TABLE_KEY)),
            "Waybill dev breach confirmer function", with(DECIDES_ON_BREACHES, Map.of(
                    "/aws/lambda/waybill-dev-breach-confirmer", LOG_WRITER,
                    "waybill-dev-exposure/index/byPendingBreach", Set.of("dynamodb:Query"),
                    // issue 14: the decisions it records go onto the canonical stream
                    "waybill-dev-canonical-events", Set.of("kinesis:PutRecords"),
                    "alias/waybill-dev-canonical-events via kinesis", Set.of("kms:GenerateDataKey"))),
            "Waybill dev incident-backlog function", Map.of(
                    "/aws/lambda/waybill-dev-incident-backlog", LOG_WRITER,
                    "waybill-dev-incidents/index/byStatus", Set.of("dynamodb:Query"),
                    "alias/waybill-dev-cold-chain-store via dynamodb", Set.of("kms:Decrypt")),
            // Issue 12: no event store access at all; the lane and facility aggregates instead.
            "Waybill dev KPI publisher function", Map.of(
                    "/aws/lambda/waybill-dev-kpi", LOG_WRITER,
                    "waybill-dev-kpi-aggregates", Set.of("dynamodb:Query", "dynamodb:GetItem"),
                    "alias/waybill-dev-kpi-aggregates via dynamodb", Set.of("kms:Decrypt"),
                    "waybill-dev-incidents", Set.of("dynamodb:Scan"),
                    "waybill-dev-exposure", Set.of("dynamodb:Scan", "dynamodb:Query"),
                    "alias/waybill-dev-cold-chain-store via dynamodb", Set.of("kms:Decrypt")),
            "Waybill dev telemetry topic rule", Map.of(
                    "waybill-dev-telemetry", Set.of("kinesis:PutRecord"),
                    "alias/waybill-dev-telemetry via kinesis", Set.of("kms:GenerateDataKey"),
                    "waybill-dev-iot-rule-errors", Set.of("sqs:SendMessage"),
                    "alias/waybill-dev-dead-letters via sqs", QUEUE_PRODUCER_KEY),
            "Waybill dev raw archive delivery (telemetry stream to S3)", Map.of(
                    "waybill-dev-telemetry", Set.of("kinesis:DescribeStream", "kinesis:GetShardIterator",
                            "kinesis:GetRecords", "kinesis:ListShards"),
                    "alias/waybill-dev-telemetry via kinesis", Set.of("kms:Decrypt"),
                    "bucket waybill-dev-raw", Set.of("s3:AbortMultipartUpload", "s3:GetBucketLocation",
                            "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"),
                    "bucket waybill-dev-raw/*", Set.of("s3:AbortMultipartUpload", "s3:GetBucketLocation",
                            "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"),
                    "alias/waybill-dev-raw-archive via s3", Set.of("kms:GenerateDataKey", "kms:Decrypt"),
                    "/aws/kinesisfirehose/waybill-dev-raw-archive", Set.of("logs:PutLogEvents")),
            "Waybill dev Greengrass token exchange role", Map.of(
                    "cdk assets/<edge component jar>", Set.of("s3:GetObject"))),
            // Issue 12: the storage confirmations to edge devices: their own stage's confirmation topics only, no table.
            Map.of("Waybill dev edge acknowledgement function", Map.of(
                    "/aws/lambda/waybill-dev-edge-acknowledgement", LOG_WRITER,
                    "iot topic/cmd/waybill/dev/*/stored", Set.of("iot:Publish"),
                    "*", Set.of("iot:DescribeEndpoint"),
                    "waybill-dev-edge-acknowledgement-failed-batches", Set.of("sqs:SendMessage"),
                    "alias/waybill-dev-dead-letters via sqs", QUEUE_PRODUCER_KEY,
                    "waybill-dev-canonical-events", STREAM_CONSUMER,
                    "alias/waybill-dev-canonical-events via kinesis", Set.of("kms:Decrypt")),
                    "Waybill dev edge settlement function", Map.of(
                    "/aws/lambda/waybill-dev-edge-settlement", LOG_WRITER,
                    "iot topic/cmd/waybill/dev/*/stored", Set.of("iot:Publish"),
                    "*", Set.of("iot:DescribeEndpoint"),
                    "waybill-dev-edge-settlements", Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                            "sqs:GetQueueAttributes"),
                    "alias/waybill-dev-dead-letters via sqs", Set.of("kms:Decrypt"))),
            // Issue 12: the canonical stream's KPI consumer, on its own table only.
            Map.of("Waybill dev KPI aggregator function", Map.of(
                    "/aws/lambda/waybill-dev-kpi-aggregator", LOG_WRITER,
                    "waybill-dev-kpi-aggregates", Set.of("dynamodb:GetItem", "dynamodb:PutItem",
                            "dynamodb:UpdateItem"),
                    "alias/waybill-dev-kpi-aggregates via dynamodb", TABLE_KEY,
                    "waybill-dev-kpi-aggregator-failed-batches", Set.of("sqs:SendMessage"),
                    "alias/waybill-dev-dead-letters via sqs", QUEUE_PRODUCER_KEY,
                    "waybill-dev-canonical-events", STREAM_CONSUMER,
                    "alias/waybill-dev-canonical-events via kinesis", Set.of("kms:Decrypt"),
                    // issue 13: its consumer watermark
                    "waybill-dev-consumer-watermarks", Set.of("dynamodb:PutItem"),
                    "alias/waybill-dev-consumer-watermarks via dynamodb", TABLE_KEY)),
            // Issue 13: the ops API reads shipments and incidents, records incident actions as ledger events (and
            // may release a hold: the ledger grant the decision function has), and reads the dead-letter depth.
            // A shipment's history and temperatures: Query of the events' bySubject index; its running exposure: the
            // standing item of the exposure table (GetItem).
            Map.of("Waybill dev ops API function", with(Map.of(
                    "/aws/lambda/waybill-dev-ops-api", LOG_WRITER,
                    "waybill-dev-events", GET_PUT,
                    "waybill-dev-shipments", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"),
                    "alias/waybill-dev-event-store via dynamodb", TABLE_KEY,
                    "waybill-dev-incidents", Set.of("dynamodb:Scan", "dynamodb:GetItem", "dynamodb:UpdateItem"),
                    "waybill-dev-incidents/index/byStatus", Set.of("dynamodb:Query"),
                    "waybill-dev-ingest-dead-letters", Set.of("sqs:GetQueueAttributes")),
                    // a shipment's open incidents (GET /shipments/{sscc})
                    Map.of("waybill-dev-incidents/index/byShipment", Set.of("dynamodb:Query")),
                    // the dead letters: the desk listed, read, claimed and marked; claim-checked payloads read;
                    // replays put on the raw telemetry stream
                    Map.of("waybill-dev-dead-letters", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem",
                                    "dynamodb:Scan"),
                            "waybill-dev-dead-letters/index/byReason", Set.of("dynamodb:Query"),
                            "alias/waybill-dev-dead-letter-desk via dynamodb", TABLE_KEY,
                            "bucket waybill-dev-dlq/dead-letters/*", Set.of("s3:GetObject"),
                            "alias/waybill-dev-dead-letter-payloads via s3", Set.of("kms:Decrypt"),
                            "waybill-dev-telemetry", Set.of("kinesis:PutRecords"),
                            "waybill-dev-events/index/bySubject", Set.of("dynamodb:Query"),
                            "waybill-dev-exposure", Set.of("dynamodb:GetItem"),
                            "alias/waybill-dev-cold-chain-store via dynamodb", TABLE_KEY,
                            "alias/waybill-dev-telemetry via kinesis", Set.of("kms:GenerateDataKey")),
                    // the KPI, device and consumer-lag views: reads only
                    Map.of("waybill-dev-kpi-aggregates", Set.of("dynamodb:Query", "dynamodb:GetItem"),
                            "alias/waybill-dev-kpi-aggregates via dynamodb", Set.of("kms:Decrypt"),
                            "waybill-dev-devices", Set.of("dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem"),
                            "alias/waybill-dev-device-registry via dynamodb", Set.of("kms:Decrypt"),
                            "waybill-dev-consumer-watermarks", Set.of("dynamodb:Scan"),
                            "alias/waybill-dev-consumer-watermarks via dynamodb", Set.of("kms:Decrypt")),
                    // issue 16, the EPCIS routes: captures (conditional PutItem; BatchWriteItem of index entries, and of
                    // the removal of a capture the stream refused), capture jobs (GetItem, PutItem), queries (Query on
                    // the table and its index, BatchGetItem of the matched events): what the adapter sent on dynalite
                    Map.of("waybill-dev-epcis", Set.of("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
                                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
                            "waybill-dev-epcis/index/query", Set.of("dynamodb:Query"),
                            "alias/waybill-dev-epcis via dynamodb", TABLE_KEY))));

    @SafeVarargs
    private static Map<String, Map<String, Set<String>>> roles(Map<String, Map<String, Set<String>>>... parts) {
        Map<String, Map<String, Set<String>>> all = new TreeMap<>();
        for (Map<String, Map<String, Set<String>>> part : parts) {
            all.putAll(part);
        }
        return all;
    }

    private static SynthesizedStacks.Synthesized dev;
    private static Map<String, Object> resources;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        resources = asMap(asMap(dev.template().toJSON()).get("Resources"));
    }

    @Test
    void everyRoleMayDoExactlyWhatItsCodeDoesOnEachResource() {
        Map<String, Map<String, Set<String>>> actual = new TreeMap<>();
        rolesByDescription().forEach((role, description) -> actual.put(description, grantsOf(role)));
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        EXPECTED.forEach((role, grants) -> assertThat(actual.get(role)).as(role).isEqualTo(new TreeMap<>(grants)));
    }

    @Test
    void rolesCarryOnlyTheirInlineAllowStatementsAndNoManagedPolicy() {
        assertThat(ofType("AWS::IAM::ManagedPolicy")).isEmpty();
        rolesByDescription().keySet().forEach(role -> assertThat(properties(role))
                .as(role).doesNotContainKeys("ManagedPolicyArns", "Policies", "PermissionsBoundary"));
        ofType("AWS::IAM::Policy").values().forEach(p -> asList(asMap(asMap(p.get("Properties"))
                .get("PolicyDocument")).get("Statement")).forEach(s ->
                assertThat(asMap(s)).containsEntry("Effect", "Allow").doesNotContainKey("NotAction")
                        .doesNotContainKey("NotResource")));
    }

    @Test
    void everyKeyGrantIsUsableOnlyThroughTheServiceThatEncryptsTheData() {
        ofType("AWS::IAM::Policy").values().forEach(p -> asList(asMap(asMap(p.get("Properties"))
                .get("PolicyDocument")).get("Statement")).stream().map(SynthesizedStacks::asMap)
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("kms:")))
                .forEach(s -> {
                    assertThat(actions(s)).as("no wildcard key action").allMatch(a -> !a.contains("*"));
                    assertThat(viaService(s)).as(s.toString())
                            .isIn("dynamodb", "kinesis", "sqs", "s3", "sns");
                }));
    }

    @Test
    void noRoleMayUpdateOrDeleteAStoredEvent() {
        Object eventsArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().eventStore().events()), "Arn"));
        ofType("AWS::IAM::Policy").values().forEach(p -> asList(asMap(asMap(p.get("Properties"))
                .get("PolicyDocument")).get("Statement")).stream().map(SynthesizedStacks::asMap)
                .filter(s -> resourcesOf(s).contains(eventsArn) || resourcesOf(s).contains("*"))
                .forEach(s -> assertThat(actions(s)).as(s.toString())
                        .doesNotContain("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                                "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete", "dynamodb:*")));
    }

    @Test
    void onlyIngestTheProvisioningHookAndTheOpsApiMayTouchTheDeviceRegistryAndOnlyIngestWritesOnlySequences() {
        Object registryArn = Map.of("Fn::GetAtt",
                List.of(dev.logicalId(dev.stack().deviceRegistry().table()), "Arn"));
        Map<String, List<Map<String, Object>>> byRole = new TreeMap<>();
        rolesByDescription().forEach((role, description) -> ofType("AWS::IAM::Policy").values().stream()
                .map(p -> asMap(p.get("Properties")))
                .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", role)))
                .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                .map(SynthesizedStacks::asMap)
                .filter(st -> resourcesOf(st).contains(registryArn)
                        || (resourcesOf(st).contains("*") && actions(st).stream().anyMatch(a -> a.startsWith("dynamodb:")))
                        || actions(st).stream().anyMatch(a -> a.startsWith("dynamodb:") && a.contains("*")))
                .forEach(st -> byRole.computeIfAbsent(description, d -> new java.util.ArrayList<>()).add(st)));

        // Roles with a statement on the registry (or DynamoDB on '*', or a wildcard DynamoDB action): these three only.
        assertThat(byRole.keySet()).containsExactlyInAnyOrder("Waybill dev ingest function",
                "Waybill dev device pre-provisioning hook", "Waybill dev ops API function");
        // The ops API (issue 13): reads only - the device list's Scan, one device's Query, the page's BatchGetItem.
        assertThat(byRole.get("Waybill dev ops API function")).containsExactly(Map.of(
                "Effect", "Allow", "Resource", registryArn,
                "Action", List.of("dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem")));
        // The hook: one unconditional GetItem, nothing else (read only).
        assertThat(byRole.get("Waybill dev device pre-provisioning hook")).containsExactly(Map.of(
                "Effect", "Allow", "Action", "dynamodb:GetItem", "Resource", registryArn));
        // Ingest: the three reads unconditionally; UpdateItem only where every leading key is a sequence item's.
        assertThat(byRole.get("Waybill dev ingest function")).containsExactlyInAnyOrder(
                Map.of("Effect", "Allow", "Resource", registryArn,
                        "Action", List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query")),
                Map.of("Effect", "Allow", "Resource", registryArn, "Action", "dynamodb:UpdateItem",
                        "Condition", Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("seq#*")))));
    }

    private static Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        resources.forEach((id, r) -> {
            if (type.equals(asMap(r).get("Type"))) {
                found.put(id, asMap(r));
            }
        });
        return found;
    }

    private static Map<String, Object> properties(String logicalId) {
        return asMap(asMap(resources.get(logicalId)).get("Properties"));
    }

    /** Role logical id -> its description. */
    private static Map<String, String> rolesByDescription() {
        Map<String, String> roles = new TreeMap<>();
        ofType("AWS::IAM::Role").forEach((id, r) -> roles.put(id, asMap(r.get("Properties")).get("Description").toString()));
        return roles;
    }

    /** Resource name -> actions, over every policy attached to {@code role}. */
    private static Map<String, Set<String>> grantsOf(String role) {
        Map<String, Set<String>> grants = new TreeMap<>();
        ofType("AWS::IAM::Policy").values().stream().map(p -> asMap(p.get("Properties")))
                .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", role)))
                .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                .map(SynthesizedStacks::asMap)
                .forEach(s -> {
                    String via = viaService(s);
                    String where = leadingKeys(s);
                    for (Object resource : resourcesOf(s)) {
                        String name = nameOf(resource) + (via == null ? "" : " via " + via)
                                + (where == null ? "" : " where dynamodb:LeadingKeys all like " + where);
                        grants.computeIfAbsent(name, n -> new TreeSet<>()).addAll(actions(s));
                    }
                });
        return grants;
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object a = statement.get("Action");
        return a instanceof List<?> ? asList(a).stream().map(Object::toString).toList() : List.of(a.toString());
    }

    private static List<Object> resourcesOf(Map<String, Object> statement) {
        Object r = statement.get("Resource");
        return r instanceof List<?> ? asList(r) : List.of(r);
    }

    /**
     * The service of a {@code kms:ViaService} condition ({@code StringEquals}, {@code <service>.<region>.amazonaws.com}
     * with the region the stack's own), or null.
     */
    private static String viaService(Map<String, Object> statement) {
        if (!statement.containsKey("Condition") || leadingKeys(statement) != null) {
            return null;
        }
        Map<String, Object> condition = asMap(statement.get("Condition"));
        assertThat(condition.keySet()).containsExactly("StringEquals");
        Map<String, Object> equals = asMap(condition.get("StringEquals"));
        assertThat(equals.keySet()).containsExactly("kms:ViaService");
        List<Object> parts = asList(asList(asMap(equals.get("kms:ViaService")).get("Fn::Join")).get(1));
        assertThat(parts).hasSize(3);
        assertThat(parts.get(1)).isEqualTo(Map.of("Ref", "AWS::Region"));
        assertThat(parts.get(2)).isEqualTo(".amazonaws.com");
        String service = parts.get(0).toString();
        assertThat(service).endsWith(".");
        return service.substring(0, service.length() - 1);
    }

    /**
     * The patterns of a {@code ForAllValues:StringLike} condition on {@code dynamodb:LeadingKeys} (the statement's only
     * condition), or null when the statement has no such condition.
     */
    private static String leadingKeys(Map<String, Object> statement) {
        if (!statement.containsKey("Condition")) {
            return null;
        }
        Map<String, Object> condition = asMap(statement.get("Condition"));
        if (!condition.containsKey("ForAllValues:StringLike")) {
            return null;
        }
        assertThat(condition.keySet()).containsExactly("ForAllValues:StringLike");
        Map<String, Object> like = asMap(condition.get("ForAllValues:StringLike"));
        assertThat(like.keySet()).containsExactly("dynamodb:LeadingKeys");
        Object patterns = like.get("dynamodb:LeadingKeys");
        return (patterns instanceof List<?> list ? list : List.of(patterns)).toString();
    }

    /** A statement's resource as the template names it. */
    private static String nameOf(Object resource) {
        if ("*".equals(resource)) {
            return "*";
        }
        Map<String, Object> value = asMap(resource);
        if (value.containsKey("Ref")) {
            return nameOfResource(value.get("Ref").toString());
        }
        if (value.containsKey("Fn::GetAtt")) {
            return nameOfResource(asList(value.get("Fn::GetAtt")).get(0).toString());
        }
        List<Object> parts = asList(asList(value.get("Fn::Join")).get(1));
        if (parts.toString().contains("cdk-hnb659fds-assets")) {
            return "cdk assets/<edge component jar>";
        }
        if (parts.size() == 7 && ":iot:".equals(parts.get(2))) {
            // arn:<partition>:iot:<region>:<account>:<type>/<name>, the stack's own partition, region and account
            assertThat(parts).as(value.toString()).startsWith("arn:", Map.of("Ref", "AWS::Partition"), ":iot:",
                    Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"));
            return "iot " + parts.get(6).toString().substring(1);
        }
        assertThat(parts).as(value.toString()).hasSize(2);
        return nameOf(parts.get(0)) + parts.get(1);
    }

    private static String nameOfResource(String logicalId) {
        Map<String, Object> resource = asMap(resources.get(logicalId));
        Map<String, Object> props = asMap(resource.get("Properties"));
        return switch (resource.get("Type").toString()) {
            case "AWS::DynamoDB::Table" -> props.get("TableName").toString();
            case "AWS::Kinesis::Stream" -> props.get("Name").toString();
            case "AWS::SQS::Queue" -> props.get("QueueName").toString();
            case "AWS::Logs::LogGroup" -> props.get("LogGroupName").toString();
            case "AWS::SNS::Topic" -> "topic " + props.get("TopicName");
            case "AWS::S3::Bucket" -> "bucket " + asList(asList(asMap(props.get("BucketName")).get("Fn::Join")).get(1))
                    .get(0).toString().replaceAll("-$", "");
            case "AWS::KMS::Key" -> ofType("AWS::KMS::Alias").values().stream().map(a -> asMap(a.get("Properties")))
                    .filter(a -> a.get("TargetKeyId").equals(Map.of("Fn::GetAtt", List.of(logicalId, "Arn"))))
                    .map(a -> a.get("AliasName").toString()).findFirst().orElse("key " + logicalId);
            default -> logicalId;
        };
    }

    @SafeVarargs
    private static Map<String, Set<String>> with(Map<String, Set<String>>... parts) {
        Map<String, Set<String>> all = new TreeMap<>();
        for (Map<String, Set<String>> part : parts) {
            part.forEach((k, v) -> all.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
        }
        return all;
    }
}
