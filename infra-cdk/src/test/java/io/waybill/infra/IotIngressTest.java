package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class IotIngressTest {
    private static SynthesizedStacks.Synthesized dev;
    private static List<Map<String, Object>> devicePolicy;
    private static Map<String, Object> rule;
    private static JsonNode ruleFile;

    @BeforeAll
    static void synthesize() throws IOException {
        dev = SynthesizedStacks.dev();
        devicePolicy = statements(asMap(asMap(dev.resources("AWS::IoT::Policy")
                .get(dev.logicalId(dev.stack().iot().devicePolicy())).get("Properties")).get("PolicyDocument")));
        rule = asMap(dev.onlyProperties("AWS::IoT::TopicRule").get("TopicRulePayload"));
        ruleFile = new ObjectMapper().readTree(
                SynthesizedStacks.repoRoot().resolve(BuildArtifacts.TELEMETRY_RULE_PATH).toFile());
    }

    @Test
    void devicePolicyOnlyLetsAThingConnectAsItself() {
        Map<String, Object> connect = only(devicePolicy, "iot:Connect");
        assertThat(connect.get("Resource").toString()).endsWith(":client/${iot:Connection.Thing.ThingName}]]}");
        assertThat(connect.get("Condition"))
                .isEqualTo(Map.of("Bool", Map.of("iot:Connection.Thing.IsAttached", "true")));
    }

    @Test
    void devicePolicyOnlyLetsAThingPublishToItsOwnTelemetryTopic() {
        Map<String, Object> publish = only(devicePolicy, "iot:Publish");
        assertThat(publish.get("Resource").toString())
                .endsWith(":topic/dt/waybill/*/${iot:Connection.Thing.ThingName}]]}");
    }

    @Test
    void devicePolicyAllowsNothingElse() {
        assertThat(devicePolicy).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s.get("Action")).isIn("iot:Connect", "iot:Publish");
            assertThat(s.get("Resource")).isNotEqualTo("*").isInstanceOf(Map.class);
        });
        assertThat(devicePolicy.toString()).doesNotContain("iot:*").doesNotContain("Resource=*");
    }

    @Test
    void topicRuleKeepsTheSqlVersionAndPartitionKeyOfTheRuleFile() {
        JsonNode payload = ruleFile.path("topicRulePayload");
        assertThat(rule).containsEntry("Sql", payload.path("sql").asText())
                .containsEntry("AwsIotSqlVersion", payload.path("awsIotSqlVersion").asText())
                .containsEntry("Description", payload.path("description").asText())
                .containsEntry("RuleDisabled", payload.path("ruleDisabled").asBoolean());
        List<Object> actions = asList(rule.get("Actions"));
        assertThat(actions).hasSize(payload.path("actions").size());
        Map<String, Object> kinesis = asMap(asMap(actions.get(0)).get("Kinesis"));
        assertThat(kinesis).containsEntry("PartitionKey",
                payload.path("actions").get(0).path("kinesis").path("partitionKey").asText());
    }

    @Test
    void topicRulePutsOnTheTelemetryStreamWithItsRole() {
        Map<String, Object> kinesis = asMap(asMap(asList(rule.get("Actions")).get(0)).get("Kinesis"));
        assertThat(kinesis).containsEntry("StreamName", Map.of("Ref", dev.logicalId(dev.stack().telemetry().stream())))
                .containsEntry("RoleArn", Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().iot().ruleRole()), "Arn")));
        assertThat(dev.template().toJSON().toString()).doesNotContain("{{");
    }

    @Test
    void topicRuleSendsErrorsToTheIotRuleErrorQueue() {
        Map<String, Object> sqs = asMap(asMap(rule.get("ErrorAction")).get("Sqs"));
        assertThat(sqs).containsEntry("QueueUrl", Map.of("Ref", dev.logicalId(dev.stack().deadLetters().iotRuleErrors())))
                .containsEntry("UseBase64", false);
    }

    @Test
    void ruleRoleMayOnlyPutRecordsSendErrorsAndUseTheirKeys() {
        var stack = dev.stack();
        String role = dev.logicalId(stack.iot().ruleRole());
        List<Map<String, Object>> statements = new ArrayList<>();
        dev.resources("AWS::IAM::Policy").values().stream().map(p -> asMap(p.get("Properties")))
                .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", role)))
                .forEach(p -> statements.addAll(statements(asMap(p.get("PolicyDocument")))));
        assertThat(statements).extracting(s -> s.get("Action").toString() + " on " + s.get("Resource"))
                .containsExactlyInAnyOrder(
                        "kinesis:PutRecord on " + arn(stack.telemetry().stream()),
                        "kms:GenerateDataKey on " + arn(stack.telemetry().key()),
                        "sqs:SendMessage on " + arn(stack.deadLetters().iotRuleErrors()),
                        "[kms:GenerateDataKey, kms:Decrypt] on " + arn(stack.deadLetters().key()));
        assertThat(asMap(dev.resources("AWS::IAM::Role").get(role).get("Properties"))).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void reeferThingTypeIsDeclared() {
        assertThat(dev.onlyProperties("AWS::IoT::ThingType")).containsEntry("ThingTypeName", "WaybillReefer");
    }

    private static String arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(dev.logicalId(construct), "Arn")).toString();
    }

    private static Map<String, Object> only(List<Map<String, Object>> statements, String action) {
        List<Map<String, Object>> matching = statements.stream().filter(s -> action.equals(s.get("Action"))).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    static List<Map<String, Object>> statements(Map<String, Object> document) {
        return asList(document.get("Statement")).stream().map(SynthesizedStacks::asMap).toList();
    }
}
