package io.waybill.local.events;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Rule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local bus through the AWS SDK's own EventBridgeClient: limits, entry sizes, pattern checks and matching. */
class LocalEventBusTest {
    private static LocalEventBus bus;
    private static SdkHttpClient http;
    private static EventBridgeClient events;

    @BeforeAll
    static void start() throws Exception {
        bus = LocalEventBus.builder().start();
        http = Apache5HttpClient.builder().build();
        events = client(bus, http);
    }

    static EventBridgeClient client(LocalEventBus bus, SdkHttpClient http) {
        return EventBridgeClient.builder().endpointOverride(bus.uri()).region(Region.US_EAST_1).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    static void stop() {
        events.close();
        http.close();
        bus.close();
    }

    private static PutEventsRequestEntry entry(String detail) {
        return PutEventsRequestEntry.builder().source("io.waybill").detailType("t").detail(detail).build();
    }

    private static List<PutEventsRequestEntry> entries(int n) {
        List<PutEventsRequestEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(entry("{\"n\":" + i + "}"));
        }
        return out;
    }

    @Test
    void tenEntriesAreAcceptedAndElevenOrNoneRefusedWithValidationException() {
        PutEventsResponse ten = events.putEvents(b -> b.entries(entries(10)));
        assertEquals(0, ten.failedEntryCount());
        assertEquals(10, ten.entries().size());
        assertEquals(10, new HashSet<>(ten.entries().stream().map(e -> e.eventId()).toList()).size());
        for (int n : new int[] {11, 0}) {
            EventBridgeException e = assertThrows(EventBridgeException.class,
                    () -> events.putEvents(b -> b.entries(entries(n))));
            assertEquals("ValidationException", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
        }
    }

    /** A Detail of exactly {@code bytes} UTF-8 bytes: {"a":"xxx...x"} is 8 bytes of JSON around the x's. */
    private static String detailOfBytes(int bytes) {
        return "{\"a\":\"" + "x".repeat(bytes - 8) + "\"}";
    }

    @Test
    void entrySizeFollowsAwsFormulaAndTheLimitIs262144Bytes() {
        // Time 14 + Source "s" 1 + DetailType "d" 1 + Resources ["r"] 1 + Detail 262127 = 262144 (limit, accepted)
        PutEventsRequestEntry atLimit = PutEventsRequestEntry.builder().time(Instant.parse("2026-01-01T00:00:00Z"))
                .source("s").detailType("d").resources("r").detail(detailOfBytes(262_127)).build();
        assertEquals(0, events.putEvents(b -> b.entries(atLimit)).failedEntryCount());
        PutEventsRequestEntry over = atLimit.toBuilder().detail(detailOfBytes(262_128)).build(); // 262145
        assertSizeRefused(List.of(over));
        // Without Time the same entry is 14 bytes smaller: Detail may be 262141 bytes (1+1+1+262141 = 262144).
        PutEventsRequestEntry noTime = atLimit.toBuilder().time(null).detail(detailOfBytes(262_141)).build();
        assertEquals(0, events.putEvents(b -> b.entries(noTime)).failedEntryCount());
        assertSizeRefused(List.of(noTime.toBuilder().detail(detailOfBytes(262_142)).build()));
        // UTF-8 bytes, not characters: source "é" is 2 bytes, so Detail 262140 reaches 262144 without Time.
        PutEventsRequestEntry accent = noTime.toBuilder().source("é").detail(detailOfBytes(262_140)).build();
        assertEquals(0, events.putEvents(b -> b.entries(accent)).failedEntryCount());
        assertSizeRefused(List.of(accent.toBuilder().detail(detailOfBytes(262_141)).build()));
        // EventBusName does not count (the default bus named in full adds nothing).
        assertEquals(0, events.putEvents(b -> b.entries(accent.toBuilder().eventBusName("default").build()))
                .failedEntryCount());
        // The limit is on the request's entries together: 2 x (1+1+131070) = 262144 accepted, one byte more refused.
        PutEventsRequestEntry half = PutEventsRequestEntry.builder().source("s").detailType("d")
                .detail(detailOfBytes(131_070)).build();
        assertEquals(0, events.putEvents(b -> b.entries(half, half)).failedEntryCount());
        assertSizeRefused(List.of(half, half.toBuilder().detail(detailOfBytes(131_071)).build()));
    }

    private static void assertSizeRefused(List<PutEventsRequestEntry> entries) {
        EventBridgeException e = assertThrows(EventBridgeException.class, () -> events.putEvents(b -> b.entries(entries)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Total size of the entries in the request is over the limit.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void badEntriesFailOneByOneInOrderWhileTheOthersAreAccepted() {
        PutEventsResponse r = events.putEvents(b -> b.entries(entry("{\"ok\":1}"), entry("[1,2]"), entry("not json"),
                PutEventsRequestEntry.builder().detailType("t").detail("{}").build(), entry("{\"ok\":2}")));
        assertEquals(3, r.failedEntryCount());
        assertNotNull(r.entries().get(0).eventId());
        assertEquals("MalformedDetail", r.entries().get(1).errorCode());
        assertEquals("MalformedDetail", r.entries().get(2).errorCode());
        assertEquals("InvalidArgument", r.entries().get(3).errorCode());
        assertNull(r.entries().get(3).eventId());
        assertNotNull(r.entries().get(4).eventId());
    }

    private static boolean matches(String pattern, String detailType, String source, String detail) {
        String event = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"" + detailType + "\",\"source\":\"" + source
                + "\",\"account\":\"000000000000\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
        return events.testEventPattern(b -> b.eventPattern(pattern).event(event)).result();
    }

    @Test
    void patternsMatchAsEventRulerDocuments() {
        // prefix
        String prefix = "{\"source\":[{\"prefix\":\"partner.3pl.\"}]}";
        assertTrue(matches(prefix, "x", "partner.3pl.northwind", "{}"));
        assertFalse(matches(prefix, "x", "partner.3p", "{}"));
        assertFalse(matches(prefix, "x", "io.waybill", "{}"));
        // anything-but
        String anythingBut = "{\"detail\":{\"status\":[{\"anything-but\":[\"cancelled\",\"draft\"]}]}}";
        assertTrue(matches(anythingBut, "x", "s", "{\"status\":\"in-transit\"}"));
        assertFalse(matches(anythingBut, "x", "s", "{\"status\":\"draft\"}"));
        assertFalse(matches(anythingBut, "x", "s", "{\"other\":1}")); // field absent: no match
        // numeric: 2 < celsius <= 8
        String numeric = "{\"detail\":{\"celsius\":[{\"numeric\":[\">\",2,\"<=\",8]}]}}";
        assertFalse(matches(numeric, "x", "s", "{\"celsius\":2}"));
        assertTrue(matches(numeric, "x", "s", "{\"celsius\":2.5}"));
        assertTrue(matches(numeric, "x", "s", "{\"celsius\":8}"));
        assertTrue(matches(numeric, "x", "s", "{\"celsius\":8.0e0}"));
        assertFalse(matches(numeric, "x", "s", "{\"celsius\":8.01}"));
        assertFalse(matches(numeric, "x", "s", "{\"celsius\":\"5\"}")); // a string is not a number
        // $or across fields
        String or = "{\"$or\":[{\"source\":[\"partner.a\"]},{\"detail\":{\"priority\":[\"high\"]}}]}";
        assertTrue(matches(or, "x", "partner.a", "{}"));
        assertTrue(matches(or, "x", "partner.b", "{\"priority\":\"high\"}"));
        assertFalse(matches(or, "x", "partner.b", "{\"priority\":\"low\"}"));
        // arrays: a value matches if any element matches, but fields of one object are not mixed across elements
        String array = "{\"detail\":{\"items\":{\"sku\":[\"A\"],\"qty\":[2]}}}";
        assertTrue(matches(array, "x", "s", "{\"items\":[{\"sku\":\"A\",\"qty\":2}]}"));
        assertFalse(matches(array, "x", "s", "{\"items\":[{\"sku\":\"A\",\"qty\":1},{\"sku\":\"B\",\"qty\":2}]}"));
    }

    @Test
    void patternsEventBridgeRejectsAreInvalidEventPatternException() {
        for (String bad : List.of("{\"source\":\"io.waybill\"}", "{\"source\":[{\"prefix\":1}]}", "not json",
                "{\"detail\":{\"n\":[{\"numeric\":[\">\"]}]}}")) {
            assertThrows(InvalidEventPatternException.class,
                    () -> events.putRule(b -> b.name("bad").eventPattern(bad)), bad);
        }
        assertThrows(ResourceNotFoundException.class, () -> events.describeRule(b -> b.name("bad")));
    }

    @Test
    void rulesAndTargetsAreKeptAndListedAsPut() {
        String arn = events.putRule(b -> b.name("r-list").eventPattern("{\"source\":[\"io.waybill\"]}")
                .description("d")).ruleArn();
        assertEquals("arn:aws:events:us-east-1:000000000000:rule/r-list", arn);
        events.putTargets(b -> b.rule("r-list").targets(t -> t.id("t1").arn("arn:local:handler")
                .retryPolicy(p -> p.maximumRetryAttempts(3).maximumEventAgeInSeconds(60))
                .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:dlq"))));
        var targets = events.listTargetsByRule(b -> b.rule("r-list")).targets();
        assertEquals(1, targets.size());
        assertEquals(3, targets.get(0).retryPolicy().maximumRetryAttempts());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:dlq", targets.get(0).deadLetterConfig().arn());
        List<Rule> rules = events.listRules(b -> b.namePrefix("r-list")).rules();
        assertEquals(List.of("r-list"), rules.stream().map(Rule::name).toList());
        EventBridgeException withTargets = assertThrows(EventBridgeException.class,
                () -> events.deleteRule(b -> b.name("r-list")));
        assertEquals("ValidationException", withTargets.awsErrorDetails().errorCode());
        assertEquals(0, events.removeTargets(b -> b.rule("r-list").ids("t1")).failedEntryCount());
        events.deleteRule(b -> b.name("r-list"));
        assertThrows(ResourceNotFoundException.class, () -> events.describeRule(b -> b.name("r-list")));
        String busArn = events.createEventBus(b -> b.name("partners")).eventBusArn();
        assertEquals("arn:aws:events:us-east-1:000000000000:event-bus/partners", busArn);
        assertEquals("arn:aws:events:us-east-1:000000000000:rule/partners/p",
                events.putRule(b -> b.name("p").eventBusName("partners").eventPattern("{\"source\":[\"x\"]}")).ruleArn());
    }
}
