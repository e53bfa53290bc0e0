package io.waybill.local.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.stack.LocalRuntimeLocator;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule subset, evaluated without a broker. */
class LocalIotRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalIotRule rule = LocalIotRule.telemetryToKinesis();

    @Test
    void ruleAddsRouteAndReceiveTimeAndKeysByThingName() throws Exception {
        byte[] payload = """
                {"deviceId":"reefer-07","sequence":6,"payload":{"minCelsius":4.5,"meanCelsius":5.480},"note":"x"}"""
                .getBytes(StandardCharsets.UTF_8);

        LocalIotRule.KinesisRecord r = rule.apply("dt/waybill/local/waybill-edge/reefer-07", payload, 1_772_553_570_420L)
                .orElseThrow();

        JsonNode out = JSON.readTree(r.data());
        assertThat(out.path("wb_route").asText()).as("from the topic, not the payload").isEqualTo("waybill-edge/reefer-07");
        assertThat(out.path("wb_received_ms").isIntegralNumber()).isTrue();
        assertThat(out.path("wb_received_ms").asLong()).isEqualTo(1_772_553_570_420L);
        assertThat(out.path("deviceId").asText()).isEqualTo("reefer-07");
        assertThat(out.path("payload")).isEqualTo(JSON.readTree("{\"minCelsius\":4.5,\"meanCelsius\":5.480}"));
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).as("numbers keep their text").contains("5.480");
        assertThat(out.size()).isEqualTo(6);
        assertThat(r.partitionKey()).isEqualTo("reefer-07");
        assertThat(rule.ruleName()).isEqualTo("waybill_telemetry_to_kinesis");
        assertThat(rule.selectedFields()).containsExactly(
                org.assertj.core.api.Assertions.entry("wb_route", "concat(topic(4), '/', topic(5))"),
                org.assertj.core.api.Assertions.entry("wb_received_ms", "timestamp()"));
        assertThat(rule.topicFilter()).isEqualTo("dt/waybill/local/+/+");
        assertThat(rule.partitionKeyTemplate()).isEqualTo("${topic(5)}");
        assertThat(rule.errorAction().useBase64()).isFalse();
        assertThat(LocalIotRule.isBinding(rule.streamNameBinding())).isTrue();
    }

    @Test
    void ruleTopicFilterMatchesDeviceTopicsOnly() {
        assertThat(rule.matches("dt/waybill/local/thermotrack/TT-0042")).isTrue();
        assertThat(rule.matches("dt/waybill/local/waybill-edge/reefer-07")).isTrue();
        assertThat(rule.matches("dt/waybill/local/thermotrack")).isFalse();
        assertThat(rule.matches("dt/waybill/local/thermotrack/TT-0042/extra")).isFalse();
        assertThat(rule.matches("dt/waybill/thermotrack/TT-0042")).as("no stage level").isFalse();
        assertThat(rule.matches("dt/waybill/prod/thermotrack/TT-0042")).as("another stage").isFalse();
        assertThat(rule.matches("cmd/waybill/thermotrack/TT-0042")).isFalse();
        assertThat(rule.matches("dt/other/thermotrack/TT-0042")).isFalse();

        TopicFilter all = TopicFilter.parse("dt/#");
        assertThat(all.matches("dt")).isTrue();
        assertThat(all.matches("dt/a/b/c")).isTrue();
        assertThat(all.matches("dtx/a")).isFalse();
        assertThat(TopicFilter.parse("#").matches("$aws/things/x")).as("$ topics are not wildcard-matched").isFalse();
        assertThat(TopicFilter.parse("+/a").matches("/a")).as("an empty level is a level").isTrue();
        assertThatThrownBy(() -> TopicFilter.parse("dt/#/x")).isInstanceOf(RuleDefinitionException.class);
        assertThatThrownBy(() -> TopicFilter.parse("dt/wa+")).isInstanceOf(RuleDefinitionException.class);
    }

    @Test
    void payloadThatIsNotAJsonObjectIsARuleError() {
        String topic = "dt/waybill/local/thermotrack/TT-0042";
        assertThatThrownBy(() -> rule.apply(topic, "not json".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(RuleEvaluationException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> rule.apply(topic, "[1,2]".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(RuleEvaluationException.class).hasMessageContaining("ARRAY");
        assertThatThrownBy(() -> rule.apply(topic, "{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(RuleEvaluationException.class);
        assertThatThrownBy(() -> rule.apply(topic, new byte[LocalIotRule.MAX_PAYLOAD_BYTES + 1], 1))
                .isInstanceOf(RuleEvaluationException.class).hasMessageContaining("128");
    }

    @Test
    void anythingOutsideTheSupportedSubsetIsRejectedAtLoadTime() {
        assertUnsupported(sql("SELECT *, topic(4) AS thing FROM 'dt/+/+' WHERE temperature > 8"), "WHERE term");
        assertUnsupported(sql("SELECT * FROM 'dt/+/+' WHERE isUndefined(a) OR isUndefined(b)"), "WHERE term");
        assertUnsupported(sql("SELECT * FROM 'dt/+/+' WHERE NOT a = 'x'"), "WHERE term");
        assertUnsupported(sql("SELECT * FROM 'dt/+/+' WHERE isNull(a)"), "WHERE term");
        assertUnsupported(sql("SELECT * FROM 'dt/+/+' GROUP BY a"), "GROUP BY");
        assertUnsupported(sql("SELECT *, newuuid() AS id FROM 'dt/+/+'"), "newuuid");
        assertUnsupported(sql("SELECT deviceId FROM 'dt/+/+'"), "must start with *");
        assertUnsupported(sql("SELECT *, upper(topic(3)) AS a FROM 'dt/+/+'"), "upper");
        assertUnsupported(sql("SELECT *, topic(3) FROM 'dt/+/+'"), "AS <name>");
        assertUnsupported(sql("SELECT * FROM 'dt/#/x'"), "'#'");
        assertUnsupported(definition("\"2015-10-08\"", "SELECT * FROM 'a'", "{\"kinesis\":{\"streamName\":\"s\",\"partitionKey\":\"k\"}}"),
                "2015-10-08");
        assertUnsupported(definition("\"2016-03-23\"", "SELECT * FROM 'a'", "{\"lambda\":{\"functionArn\":\"arn\"}}"),
                "only a kinesis action");
        assertUnsupported(definition("\"2016-03-23\"", "SELECT * FROM 'a'",
                "{\"kinesis\":{\"streamName\":\"s\",\"partitionKey\":\"${newuuid()}\"}}"), "newuuid");
        assertUnsupported("{\"ruleName\":\"r\",\"topicRulePayload\":{\"sql\":\"SELECT * FROM 'a'\","
                + "\"awsIotSqlVersion\":\"2016-03-23\",\"actions\":[],\"bogus\":1}}", "bogus");
    }

    @Test
    void stageOfTheRuleIsFilledInLikeCdkDoesAndOnlyItsTopicsMatch() {
        LocalIotRule prod = LocalIotRule.telemetryToKinesis("prod");
        assertThat(prod.sql()).isEqualTo("SELECT *, concat(topic(4), '/', topic(5)) AS wb_route, "
                + "timestamp() AS wb_received_ms FROM 'dt/waybill/prod/+/+' WHERE isUndefined(wb_route) "
                + "AND isUndefined(wb_received_ms) AND topic(4) <> 'swiftlog' AND topic(4) <> 'waybill-plan' AND topic(4) <> 'asn' AND topic(4) <> 'epcis'");
        assertThat(prod.matches("dt/waybill/prod/thermotrack/TT-1")).isTrue();
        assertThat(prod.matches("dt/waybill/local/thermotrack/TT-1")).isFalse();
        assertThat(rule.matches("dt/waybill/prod/thermotrack/TT-1")).isFalse();
        assertThat(prod.partitionKey("dt/waybill/prod/thermotrack/TT-1", 0)).isEqualTo("TT-1");
        assertThatThrownBy(() -> LocalIotRule.telemetryToKinesis("Prod_1")).hasMessageContaining("stage");
        assertUnsupported(sql("SELECT * FROM 'dt/{{Other.thing}}/+'"), "binding");
    }

    @Test
    void deviceMessageCarryingTheRoutingFieldsItselfIsDroppedByTheRule() throws Exception {
        // A device that replays a stored record (the sample is the rule's output: it carries both routing fields) or
        // forges one of them: the deployed rule's WHERE drops it, so no action runs and nothing reaches the stream.
        ObjectNode sample = (ObjectNode) SampleCatalog.json("raw/waybill-edge/summary.json");
        String topic = "dt/waybill/local/waybill-edge/reefer-07";
        assertThat(rule.apply(topic, JSON.writeValueAsBytes(sample), 1)).as("both fields, as stored").isEmpty();

        ObjectNode routeOnly = sample.deepCopy();
        routeOnly.remove("wb_received_ms");
        routeOnly.put("wb_route", "swiftlog/SWIFTLOG");
        assertThat(rule.apply(topic, JSON.writeValueAsBytes(routeOnly), 1)).as("a forged route").isEmpty();

        ObjectNode timeOnly = sample.deepCopy();
        timeOnly.remove("wb_route");
        timeOnly.put("wb_received_ms", 0);
        assertThat(rule.apply(topic, JSON.writeValueAsBytes(timeOnly), 1)).as("a forged receive time").isEmpty();

        ObjectNode nullRoute = sample.deepCopy();
        nullRoute.remove("wb_received_ms");
        nullRoute.putNull("wb_route");
        assertThat(rule.apply(topic, JSON.writeValueAsBytes(nullRoute), 1)).as("null is defined in IoT SQL").isEmpty();

        ObjectNode clean = sample.deepCopy();
        clean.remove("wb_route");
        clean.remove("wb_received_ms");
        JsonNode out = JSON.readTree(rule.apply(topic, JSON.writeValueAsBytes(clean), 1_772_553_570_420L)
                .orElseThrow().data());
        assertThat(out.path("wb_route").asText()).isEqualTo("waybill-edge/reefer-07");
        assertThat(out.path("wb_received_ms").asLong()).isEqualTo(1_772_553_570_420L);
        assertThat(rule.whereTerms()).containsExactly("isUndefined(wb_route)", "isUndefined(wb_received_ms)",
                "topic(4) <> 'swiftlog'", "topic(4) <> 'waybill-plan'", "topic(4) <> 'asn'", "topic(4) <> 'epcis'");
    }

    @Test
    void partnerAdapterTopicNeverReachesTheStream() throws Exception {
        // The 3PL's proof of delivery, as its partner feed sends it (the sample minus the routing fields), published
        // on a device topic under the partner's adapter: the rule drops it.
        ObjectNode pod = (ObjectNode) SampleCatalog.json("raw/swiftlog/proof-of-delivery.json");
        pod.remove("wb_route");
        pod.remove("wb_received_ms");
        byte[] payload = JSON.writeValueAsBytes(pod);

        assertThat(rule.apply("dt/waybill/local/swiftlog/SWIFTLOG", payload, 1)).isEmpty();
        assertThat(rule.apply("dt/waybill/local/swiftlog/IMEI-356938035643809", payload, 1)).isEmpty();
        assertThat(rule.apply("dt/waybill/local/gps-tracker/IMEI-356938035643809", payload, 1))
                .as("control: the same bytes on a device adapter's topic pass the rule").isPresent();
        assertThat(LocalIotRule.telemetryToKinesis("prod").apply("dt/waybill/prod/swiftlog/SWIFTLOG", payload, 1))
                .isEmpty();
        // a shipment plan (master data: it sets the product class a shipment is judged by) from a device topic
        ObjectNode plan = (ObjectNode) SampleCatalog.json("raw/waybill-plan/planned.json");
        plan.remove("wb_route");
        plan.remove("wb_received_ms");
        assertThat(rule.apply("dt/waybill/local/waybill-plan/reefer-07", JSON.writeValueAsBytes(plan), 1)).isEmpty();
    }

    @Test
    void ruleExcludesEveryPartnerAdapterTheDeviceAuthorityRefuses() {
        assertThat(LocalDeviceAuthority.PARTNER_ADAPTERS).containsExactlyInAnyOrder("swiftlog", "waybill-plan", "asn", "epcis");
        for (String partner : LocalDeviceAuthority.PARTNER_ADAPTERS) {
            assertThat(rule.whereTerms()).contains("topic(4) <> '" + partner + "'");
        }
    }

    @Test
    void whereTermsFollowIotSqlUndefinedSemantics() throws Exception {
        LocalIotRule r = LocalIotRule.parse(sql("SELECT * FROM 'dt/+/+/+' WHERE kind = 'SUMMARY' AND topic(2) <> 'x' "
                + "and isUndefined(topic(5))"));
        byte[] summary = "{\"kind\":\"SUMMARY\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(r.apply("dt/a/b/c", summary, 1)).isPresent();
        assertThat(r.apply("dt/x/b/c", summary, 1)).as("topic(2) is x").isEmpty();
        assertThat(r.apply("dt/a/b/c", "{\"kind\":\"ALERT\"}".getBytes(StandardCharsets.UTF_8), 1)).isEmpty();
        assertThat(r.apply("dt/a/b/c", "{}".getBytes(StandardCharsets.UTF_8), 1))
                .as("kind is Undefined: Undefined = 'SUMMARY' is not true").isEmpty();
        assertThat(r.apply("dt/a/b/c", "{\"kind\":{\"k\":\"SUMMARY\"}}".getBytes(StandardCharsets.UTF_8), 1)).isEmpty();
        LocalIotRule notEqual = LocalIotRule.parse(sql("SELECT * FROM 'dt/+/+/+' WHERE kind <> 'SUMMARY'"));
        assertThat(notEqual.apply("dt/a/b/c", "{}".getBytes(StandardCharsets.UTF_8), 1))
                .as("Undefined <> 'SUMMARY' is not true either").isEmpty();
        assertThat(notEqual.apply("dt/a/b/c", "{\"kind\":\"AND\"}".getBytes(StandardCharsets.UTF_8), 1)).isPresent();
        assertThat(LocalIotRule.parse(sql("SELECT * FROM 'dt/+/+/+' WHERE kind = 'A AND B'"))
                .apply("dt/a/b/c", "{\"kind\":\"A AND B\"}".getBytes(StandardCharsets.UTF_8), 1))
                .as("AND inside a literal is not a separator").isPresent();
    }

    @Test
    void bundledRuleIsTheInfraCdkDefinition() throws Exception {
        Path repoRoot = LocalRuntimeLocator.locate().getParent();
        Path shared = repoRoot.resolve(LocalIotRule.TELEMETRY_RULE_REPO_PATH);
        byte[] bundled;
        try (var in = getClass().getClassLoader().getResourceAsStream(LocalIotRule.TELEMETRY_RULE_RESOURCE)) {
            bundled = in.readAllBytes();
        }
        assertThat(new String(bundled, StandardCharsets.UTF_8))
                .as("local-runtime/src/main/resources/%s must be a copy of %s: cp %s local-runtime/src/main/resources/%s",
                        LocalIotRule.TELEMETRY_RULE_RESOURCE, shared, LocalIotRule.TELEMETRY_RULE_REPO_PATH,
                        LocalIotRule.TELEMETRY_RULE_RESOURCE)
                .isEqualTo(Files.readString(shared));
        assertThat(LocalIotRule.load(shared).sql()).isEqualTo(rule.sql());
    }

    private static String sql(String sql) {
        return definition("\"2016-03-23\"", sql, "{\"kinesis\":{\"streamName\":\"s\",\"partitionKey\":\"${topic(4)}\"}}");
    }

    private static String definition(String version, String sql, String action) {
        return "{\"ruleName\":\"r\",\"topicRulePayload\":{\"sql\":" + JSON.valueToTree(sql) + ",\"awsIotSqlVersion\":"
                + version + ",\"actions\":[" + action + "]}}";
    }

    private static void assertUnsupported(String definition, String mentioned) {
        assertThatThrownBy(() -> LocalIotRule.parse(definition)).isInstanceOf(RuleDefinitionException.class)
                .hasMessageContaining(mentioned);
    }
}
