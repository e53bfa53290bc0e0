package io.waybill.local.kpi;

import static io.waybill.kpi.KpiFixtures.AS_OF;
import static io.waybill.kpi.KpiFixtures.DC;
import static io.waybill.kpi.KpiFixtures.HUB;
import static io.waybill.kpi.KpiFixtures.S1;
import static io.waybill.kpi.KpiFixtures.S2;
import static io.waybill.kpi.KpiFixtures.S3;
import static io.waybill.kpi.KpiFixtures.STORE;
import static io.waybill.kpi.KpiFixtures.at;
import static io.waybill.kpi.KpiFixtures.events;
import static io.waybill.kpi.KpiFixtures.incidents;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.identity.Gs1;
import io.waybill.aws.eventstore.EventItem;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.kpi.EventStoreScan;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.kpi.Movement;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link KpiReport} against the local DynamoDB emulator: the report's figures and the EMF documents from the KPI
 * aggregates (the events folded by {@link DynamoDbKpiAggregates} in reverse order, each twice: issue 12), and the
 * shared {@link EventStoreScan} over events stored as the ingest ledger stores them ({@link EventItem},
 * {@code eventJson}).
 */
@Timeout(60)
class KpiReportTest {
    static final String TABLE = "kpi-report-events";
    static final String AGGREGATES = "kpi-report-aggregates";

    private static LocalAwsStack stack;

    @BeforeAll
    static void startStackAndStoreEvents() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(EventStoreTables.events(TABLE));
        DynamoDbTable<EventItem> table = DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb())
                .build().table(TABLE, TableSchema.fromBean(EventItem.class));
        for (CanonicalEvent e : events()) {
            table.putItem(item(e));
        }
        StackResources.using(stack.clients()).createTable(DynamoDbKpiAggregates.definition(AGGREGATES));
        DynamoDbKpiAggregates aggregates = new DynamoDbKpiAggregates(stack.clients().dynamoDb(), AGGREGATES);
        List<CanonicalEvent> reversed = new ArrayList<>(events());
        java.util.Collections.reverse(reversed);
        for (CanonicalEvent e : reversed) {
            Movement m = Movement.of(e).orElseThrow();
            aggregates.fold(m.shipmentSscc(), List.of(m));
            assertThat(aggregates.fold(m.shipmentSscc(), List.of(m))).as("a resend changes nothing").isFalse();
        }
        // an item the scan cannot read: no eventJson
        stack.clients().dynamoDb().putItem(b -> b.tableName(TABLE).item(Map.of(
                "eventKey", AttributeValue.fromS("urn:waybill:test:broken#1"),
                "subject", AttributeValue.fromS(S1), "time", AttributeValue.fromS("2026-11-20T00:00:00Z"))));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** As {@code DynamoDbEventLedger} writes it. */
    static EventItem item(CanonicalEvent e) {
        EventItem item = new EventItem();
        item.setEventKey(e.eventKey());
        item.setEventId(e.id());
        item.setSource(e.source());
        item.setType(e.type());
        item.setSubject(e.subject());
        item.setTime(e.time().toString());
        item.setAdapter(e.adapter());
        item.setEventJson(CanonicalEventJson.toJsonString(e));
        item.setStoredAtMs(e.processingtime().toEpochMilli());
        return item;
    }

    /** What a run printed: stdout and stderr apart. */
    private record Output(String out, String err) {
        /** Both, as a terminal shows them. */
        String all() {
            return out + err;
        }
    }

    private static Output runSplit(Map<String, String> options, int expectedExit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KpiReport.main(options, stack.clients().dynamoDb(), AGGREGATES, incidents(), null,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(AS_OF, ZoneOffset.UTC));
        Output o = new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(exit).as(o.all()).isEqualTo(expectedExit);
        return o;
    }

    private static String run(Map<String, String> options, int expectedExit) {
        return runSplit(options, expectedExit).all();
    }

    /** The whitespace-separated cells of the report row that starts with {@code key}. */
    private static List<String> row(String report, String key) {
        return report.lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .map(l -> Arrays.asList(l.trim().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no row " + key + " in\n" + report));
    }

    @Test
    void fixturesUseValidGs1Keys() {
        for (String key : List.of(DC, HUB, STORE, S1, S2, S3)) {
            assertThat(Gs1.hasValidCheckDigit(key)).as(key).isTrue();
        }
    }

    @Test
    void scanReadsEveryPageAndSkipsUnreadableItems() {
        EventStoreScan.ScannedEvents scanned = KpiReport.scanEvents(stack.clients().dynamoDb(), TABLE, 2); // 4 pages
        assertThat(scanned.items()).isEqualTo(8);
        assertThat(scanned.unreadable()).isEqualTo(1);
        assertThat(scanned.events()).containsExactlyInAnyOrderElementsOf(events());
    }

    @Test
    void reportPrintsLaneAndFacilityFigures() {
        String report = run(Map.of(KpiReport.OPTION_AS_OF, AS_OF.toString()), 0);
        assertThat(report).contains("Waybill supply-chain KPIs as of 2026-11-21T00:00:00Z");
        assertThat(report).contains("events 7, shipments 3, exceptions 2 (open 1, spoilage 2, unattributed 0)");
        // LANE SHIPS LEGS TRANS TT_P50 TT_P90 TT_MEAN DEP_OT% ARR_OT% UNPL_D/A TOR_MIN DM_ABOVE DM_BELOW TOR>0 SPOIL
        // EXC OPEN RES_P50 RES_P90 OLDEST. DC->HUB: 4 h and 6 h -> p50 4:00 (rank 1), p90 6:00 (rank 2), mean 5:00;
        // no schedule: all unplanned; I1 resolved in 2 h, I2 open since 11:00 -> 13 h at midnight.
        assertThat(row(report, DC + "->" + HUB)).containsExactly(DC + "->" + HUB, "2", "2", "0", "4:00", "6:00",
                "5:00", "-", "-", "2/2", "0.0", "0.0", "0.0", "0", "2", "2", "1", "2:00", "2:00", "13:00");
        assertThat(row(report, HUB + "->" + STORE)).containsExactly(HUB + "->" + STORE, "1", "1", "0", "2:00",
                "2:00", "2:00", "-", "-", "1/1", "0.0", "0.0", "0.0", "0", "0", "0", "0", "-", "-", "-");
        assertThat(row(report, DC + "->?")).containsExactly(DC + "->?", "1", "1", "1", "-", "-", "-", "-", "-",
                "1/0", "0.0", "0.0", "0.0", "0", "0", "0", "0", "-", "-", "-");
        // FACILITY ARRIVED DEPARTED VISITS PRESENT DW_P50 DW_P90 DW_MEAN EXC OPEN OLDEST
        assertThat(row(report, DC)).containsExactly(DC, "0", "3", "0", "0", "-", "-", "-", "0", "0", "-");
        assertThat(row(report, HUB)).containsExactly(HUB, "2", "1", "1", "1", "2:00", "2:00", "2:00", "0", "0", "-");
        assertThat(row(report, STORE)).containsExactly(STORE, "1", "0", "0", "1", "-", "-", "-", "0", "0", "-");
        assertThat(report).contains("EXCEPTIONS resolved 1 (p50 2:00, p90 2:00), open 1 (oldest 13:00)");
        // lanes sorted by origin then destination, "?" after the digits
        List<String> laneOrder = report.lines().filter(l -> l.startsWith(DC + "->") || l.startsWith(HUB + "->"))
                .map(l -> l.split("\\s+")[0]).collect(Collectors.toList());
        assertThat(laneOrder).containsExactly(DC + "->" + HUB, DC + "->?", HUB + "->" + STORE);
        assertThat(report).doesNotContain("\"_aws\"");
    }

    @Test
    void asOfDefaultsToNowAndAgesOpenExceptions() {
        // The fixed clock stands for "now": one hour later, the open exception is an hour older.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = KpiReport.main(Map.of(), stack.clients().dynamoDb(), AGGREGATES, incidents(), null,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                Clock.fixed(AS_OF.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThat(exit).isZero();
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("as of 2026-11-21T01:00:00Z");
        assertThat(row(report, DC + "->" + HUB).get(19)).isEqualTo("14:00");
    }

    @Test
    void withEmfStdoutCarriesOnlyTheEmfDocumentsAndTheReportGoesToStderr() throws Exception {
        Output o = runSplit(Map.of(KpiReport.OPTION_AS_OF, AS_OF.toString(), KpiReport.OPTION_EMF, ""), 0);
        ObjectMapper mapper = new ObjectMapper();
        // Issue 9 item 18: every stdout line is an EMF document (a metrics agent reads it as it is) ...
        assertThat(o.out().lines()).isNotEmpty().allSatisfy(line ->
                assertThat(mapper.readTree(line).has("_aws")).as("EMF document: %s", line).isTrue());
        // ... and the human report is on stderr, whole, with no EMF in it.
        assertThat(o.err()).contains("Waybill supply-chain KPIs as of 2026-11-21T00:00:00Z", "LANES (3)",
                "FACILITIES (3)").doesNotContain("\"_aws\"");
        // Without --emf the report is on stdout, as before.
        assertThat(runSplit(Map.of(KpiReport.OPTION_AS_OF, AS_OF.toString()), 0).out()).contains("LANES (3)");
    }

    @Test
    void emfOptionPrintsOneDocumentPerLaneAndFacility() throws Exception {
        String report = runSplit(Map.of(KpiReport.OPTION_AS_OF, AS_OF.toString(), KpiReport.OPTION_EMF, ""), 0).out();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> docs = new ArrayList<>();
        for (String line : report.lines().filter(l -> l.contains("\"_aws\"")).collect(Collectors.toList())) {
            docs.add(mapper.readTree(line));
        }
        assertThat(docs).hasSize(6); // 3 lanes + 3 facilities
        for (JsonNode d : docs) {
            JsonNode directive = d.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Waybill");
            assertThat(directive.path("Dimensions").toString()).isIn("[[\"Lane\"]]", "[[\"Facility\"]]");
            assertThat(d.path("asOf").asText()).isEqualTo("2026-11-21T00:00:00Z");
        }
        JsonNode lane = docs.stream().filter(d -> (DC + "->" + HUB).equals(d.path("Lane").asText())).findFirst()
                .orElseThrow();
        assertThat(lane.path("Shipments").asDouble()).isEqualTo(2);
        assertThat(lane.path("TransitTimeP50Seconds").asDouble()).isEqualTo(4 * 3600);
        assertThat(lane.path("TransitTimeP90Seconds").asDouble()).isEqualTo(6 * 3600);
        assertThat(lane.path("SpoilageIncidents").asDouble()).isEqualTo(2);
        assertThat(lane.path("OpenExceptions").asDouble()).isEqualTo(1);
        assertThat(lane.path("ExceptionResolutionP50Seconds").asDouble()).isEqualTo(7200);
        assertThat(lane.path("OldestOpenExceptionAgeSeconds").asDouble()).isEqualTo(13 * 3600);
        assertThat(lane.path("TemperatureExposureMinutes").asDouble()).isZero();
        assertThat(lane.has("OnTimeArrivalPercent")).as("undefined without a schedule: omitted").isFalse();
        JsonNode hub = docs.stream().filter(d -> HUB.equals(d.path("Facility").asText())).findFirst().orElseThrow();
        assertThat(hub.path("DwellTimeP50Seconds").asDouble()).isEqualTo(7200);
        assertThat(hub.path("Visits").asDouble()).isEqualTo(1);
        assertThat(hub.path("ShipmentsPresent").asDouble()).isEqualTo(1);
        assertThat(hub.path("ShipmentsArrived").asDouble()).isEqualTo(2);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(run(Map.of("--since", "x"), 2)).contains("unknown option --since");
        assertThat(run(Map.of(KpiReport.OPTION_AS_OF, "yesterday"), 2)).contains("--as-of must be an ISO-8601");
    }
}
