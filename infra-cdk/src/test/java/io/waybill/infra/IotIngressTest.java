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
    void devicePolicyOnlyLetsAThingPublishToItsOwnAdaptersTelemetryTopic() {
        // issue 11: the adapter level was a wildcard, so any device could publish as any vendor or as the 3PL
        Map<String, Object> publish = only(devicePolicy, "iot:Publish");
        assertThat(publish.get("Resource").toString())
                .endsWith(":topic/dt/waybill/dev/${iot:Connection.Thing.Attributes[adapter]}/"
                        + "${iot:Connection.Thing.ThingName}]]}")
                .doesNotContain("*");
        var loadTest = SynthesizedStacks.loadTest();
        Map<String, Object> loadTestPublish = only(statements(asMap(loadTest.properties(
                loadTest.stack().iot().devicePolicy()).get("PolicyDocument"))), "iot:Publish");
        assertThat(loadTestPublish.get("Resource").toString())
                .endsWith(":topic/dt/waybill/load-test/${iot:Connection.Thing.Attributes[adapter]}/"
                        + "${iot:Connection.Thing.ThingName}]]}");
    }

    @Test
    void topicRuleOfAStageSelectsOnlyThatStagesTelemetry() {
        // issue 9: every stage's rule selected dt/waybill/+/+, so a dev stage ingested prod telemetry
        assertThat(rule.get("Sql")).isEqualTo("SELECT *, concat(topic(4), '/', topic(5)) AS wb_route, "
                + "timestamp() AS wb_received_ms FROM 'dt/waybill/dev/+/+' WHERE isUndefined(wb_route) "
                + "AND isUndefined(wb_received_ms) AND topic(4) <> 'swiftlog' AND topic(4) <> 'waybill-plan' AND topic(4) <> 'asn' AND topic(4) <> 'epcis'");
        Map<String, Object> loadTest = asMap(SynthesizedStacks.loadTest().onlyProperties("AWS::IoT::TopicRule")
                .get("TopicRulePayload"));
        assertThat(loadTest.get("Sql").toString()).contains("FROM 'dt/waybill/load-test/+/+' WHERE ");
        assertThat(asMap(asMap(asList(loadTest.get("Actions")).get(0)).get("Kinesis")))
                .containsEntry("PartitionKey", "${topic(5)}");
    }

    @Test
    void deployedRuleDropsDevicePayloadsThatCarryARoutingFieldAndPartnerTopics() {
        // What AWS runs: the WHERE clause sees the incoming payload, so a device's own wb_route or wb_received_ms
        // (any value, null included) makes isUndefined false and IoT Core runs no action for that message; the 3PL's
        // adapter is never routed from a device topic. Every term must be ANDed at the top level: an OR would let
        // either half through.
        String sql = rule.get("Sql").toString();
        String where = sql.substring(sql.indexOf(" WHERE ") + " WHERE ".length());
        assertThat(where.split(" AND ")).containsExactly("isUndefined(wb_route)", "isUndefined(wb_received_ms)",
                "topic(4) <> 'swiftlog'", "topic(4) <> 'waybill-plan'", "topic(4) <> 'asn'", "topic(4) <> 'epcis'");
        assertThat(sql).doesNotContainIgnoringCase(" OR ").doesNotContainIgnoringCase(" NOT ");
        assertThat(sql.indexOf(" WHERE ")).isEqualTo(sql.lastIndexOf(" WHERE "));
        // the WHERE names exactly the fields the SELECT adds
        assertThat(sql).contains(" AS wb_route,", " AS wb_received_ms FROM ");
    }

    @Test
    void devicePolicyLetsAThingReceiveOnlyItsOwnStorageConfirmations() {
        assertThat(only(devicePolicy, "iot:Subscribe").get("Resource").toString())
                .endsWith(":topicfilter/cmd/waybill/dev/${iot:Connection.Thing.ThingName}/stored]]}")
                .doesNotContain("*").doesNotContain("+").doesNotContain("#");
        assertThat(only(devicePolicy, "iot:Receive").get("Resource").toString())
                .endsWith(":topic/cmd/waybill/dev/${iot:Connection.Thing.ThingName}/stored]]}")
                .doesNotContain("*");
    }

    @Test
    void devicePolicyAllowsNothingElse() {
        assertThat(devicePolicy).hasSize(4).allSatisfy(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s.get("Action")).isIn("iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive");
            assertThat(s.get("Resource")).isNotEqualTo("*").isInstanceOf(Map.class);
        });
        assertThat(devicePolicy.toString()).doesNotContain("iot:*").doesNotContain("Resource=*");
    }

    @Test
    void topicRuleKeepsTheSqlVersionAndPartitionKeyOfTheRuleFile() {
        JsonNode payload = ruleFile.path("topicRulePayload");
        assertThat(rule).containsEntry("Sql", payload.path("sql").asText().replace("{{Stage.name}}", "dev"))
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
        assertThat(dev.onlyProperties("AWS::IoT::ThingType")).containsEntry("ThingTypeName", "waybill-dev-reefer");
        assertThat(SynthesizedStacks.loadTest().onlyProperties("AWS::IoT::ThingType"))
                .containsEntry("ThingTypeName", "waybill-load-test-reefer");
    }

    @Test
    void eachStageCreatesItsOwnEdgeThingGroupAndDeploysAfterIt() {
        Map<String, Map<String, Object>> groups = dev.resources("AWS::IoT::ThingGroup");
        assertThat(groups).hasSize(1);
        String groupId = groups.keySet().iterator().next();
        assertThat(asMap(groups.get(groupId).get("Properties"))).containsEntry("ThingGroupName", "waybill-dev-edge");
        Map<String, Map<String, Object>> deployments = dev.resources("AWS::GreengrassV2::Deployment");
        assertThat(deployments.values()).singleElement().satisfies(d -> {
            assertThat(d.get("DependsOn").toString()).contains(groupId);
            assertThat(asMap(d.get("Properties")).get("TargetArn"))
                    .isEqualTo(Map.of("Fn::GetAtt", List.of(groupId, "Arn")));
        });
    }

    @Test
    void aThingGroupNamedInTheContextIsUsedNotCreated() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(loadTest.resources("AWS::IoT::ThingGroup")).isEmpty();
        assertThat(loadTest.stack().edgeThingGroup().name()).isEqualTo("waybill-load-reefers");
        assertThat(loadTest.onlyProperties("AWS::GreengrassV2::Deployment").get("TargetArn").toString())
                .endsWith(":thinggroup/waybill-load-reefers]]}");
    }

    @Test
    void twoStagesInOneAccountShareNoResourceName() {
        // every account-wide (or region-wide) name CloudFormation would refuse to create twice
        List<String> nameProperties = List.of("TableName", "QueueName", "Name", "FunctionName", "RuleName",
                "PolicyName", "ThingTypeName", "ThingGroupName", "TopicName", "RoleAlias", "DeploymentName",
                "AliasName", "LogGroupName", "DeliveryStreamName");
        var devNames = physicalNames(dev, nameProperties);
        var loadTestNames = physicalNames(SynthesizedStacks.loadTest(), nameProperties);
        assertThat(devNames).hasSizeGreaterThan(30);
        List<String> shared = devNames.stream().filter(loadTestNames::contains).toList();
        assertThat(shared).isEmpty();
    }

    private static List<String> physicalNames(SynthesizedStacks.Synthesized variant, List<String> properties) {
        List<String> names = new ArrayList<>();
        asMap(asMap(variant.template().toJSON()).get("Resources")).values().forEach(r -> {
            Object props = asMap(r).get("Properties");
            // an inline IAM policy's name is its role's, a Lambda alias's its function's: not account-wide
            if (props != null && !List.of("AWS::IAM::Policy", "AWS::Lambda::Alias").contains(asMap(r).get("Type"))) {
                properties.stream().map(asMap(props)::get).filter(v -> v instanceof String)
                        .forEach(v -> names.add(asMap(r).get("Type") + " " + v));
            }
        });
        // a Greengrass component version's name and version are account-wide too; they live in the inline recipe
        variant.template().findResources("AWS::GreengrassV2::ComponentVersion").values().forEach(r -> {
            String recipe = String.valueOf(asMap(asMap(r).get("Properties")).get("InlineRecipe"));
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("ComponentName: (\\S+)").matcher(recipe);
            java.util.regex.Matcher version = java.util.regex.Pattern.compile("ComponentVersion: \"?([0-9.]+)")
                    .matcher(recipe);
            assertThat(name.find() && version.find()).as("name and version in " + recipe).isTrue();
            names.add("AWS::GreengrassV2::ComponentVersion " + name.group(1) + " " + version.group(1));
        });
        Object outputs = asMap(variant.template().toJSON()).get("Outputs");
        if (outputs != null) {
            asMap(outputs).values().forEach(o -> names.add("Export " + asMap(asMap(o).get("Export")).get("Name")));
        }
        return names;
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
