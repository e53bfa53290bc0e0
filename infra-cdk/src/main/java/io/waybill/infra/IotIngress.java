package io.waybill.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iot.CfnPolicy;
import software.amazon.awscdk.services.iot.CfnThingType;
import software.amazon.awscdk.services.iot.CfnTopicRule;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Devices into the platform: the stage's reefer thing type, the device policy (a thing connects as itself and
 * publishes to its own telemetry topic of this stage, {@code dt/waybill/<stage>/<adapter>/<thingName>}, nothing else)
 * and the topic rule that puts this stage's telemetry on the stream. The rule is
 * {@code infra-cdk/iot-rules/telemetry-to-kinesis.json}, loaded as is (the local rule runner evaluates the same file);
 * only its {@code {{Construct.attribute}}} placeholders are replaced, {@value #STAGE_PLACEHOLDER} by the stage.
 *
 * <p>Stages share an account without seeing each other's devices: the stage is a level of the topic namespace, so
 * stage S's rule selects {@code dt/waybill/S/+/+} only and its devices may publish only there.
 */
public final class IotIngress extends Construct {
    /** Thing type suffix: {@code waybill-<stage>-reefer} (a thing type name is account-wide, so one per stage). */
    public static final String THING_TYPE_SUFFIX = "reefer";
    /** The root of every stage's telemetry topics; the next level is the stage. */
    public static final String TELEMETRY_TOPIC_ROOT = "dt/waybill/";
    /** The rule file's placeholder for the stage (in its SQL's topic filter). */
    public static final String STAGE_PLACEHOLDER = "{{Stage.name}}";
    /**
     * The thing attribute that names the device's adapter (e.g. {@code adapter=waybill-edge}): set when the thing is
     * created (onboarding, fleet provisioning). The device policy publishes only under it; a thing without it cannot
     * publish at all (the policy variable does not resolve, so the publish statement grants nothing).
     */
    public static final String ADAPTER_ATTRIBUTE = "adapter";
    /** The policy variable of the thing's adapter: {@code ${iot:Connection.Thing.Attributes[adapter]}}. */
    public static final String ADAPTER_POLICY_VARIABLE = "${iot:Connection.Thing.Attributes[" + ADAPTER_ATTRIBUTE + "]}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+\\.[A-Za-z]+)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Role ruleRole;
    private final CfnTopicRule rule;
    private final CfnPolicy devicePolicy;
    private final CfnThingType thingType;

    public IotIngress(Construct scope, String id, StageConfig config, Path ruleFile, TelemetryStream stream,
                      DeadLetterQueues queues) {
        super(scope, id);
        this.thingType = CfnThingType.Builder.create(this, "ReeferType")
                .thingTypeName(config.resourceName(THING_TYPE_SUFFIX))
                .thingTypeProperties(CfnThingType.ThingTypePropertiesProperty.builder()
                        .thingTypeDescription("Refrigerated container or trailer with a Waybill edge monitor")
                        .build())
                .build();
        this.devicePolicy = CfnPolicy.Builder.create(this, "DevicePolicy")
                .policyName(config.resourceName("device"))
                .policyDocument(devicePolicyDocument(config.stage()))
                .build();

        // The rule's role may put records on this stream and send to this queue, nothing more.
        this.ruleRole = Role.Builder.create(this, "RuleRole")
                .assumedBy(new ServicePrincipal("iot.amazonaws.com"))
                .description("Waybill " + config.stage() + " telemetry topic rule")
                .build();
        ruleRole.addToPrincipalPolicy(statement(List.of("kinesis:PutRecord"), stream.stream().getStreamArn()));
        KeyUse.allow(ruleRole, stream.key(), KeyUse.KINESIS, "kms:GenerateDataKey");
        ruleRole.addToPrincipalPolicy(statement(List.of("sqs:SendMessage"), queues.iotRuleErrors().getQueueArn()));
        // SQS server-side encryption: a producer needs GenerateDataKey and Decrypt (to reuse a cached data key).
        KeyUse.allow(ruleRole, queues.key(), KeyUse.SQS, "kms:GenerateDataKey", "kms:Decrypt");

        Map<String, String> tokens = Map.of(
                STAGE_PLACEHOLDER.substring(2, STAGE_PLACEHOLDER.length() - 2), config.stage(),
                "TelemetryStream.streamName", stream.stream().getStreamName(),
                "IotRuleRole.roleArn", ruleRole.getRoleArn(),
                "IotRuleErrorQueue.queueUrl", queues.iotRuleErrors().getQueueUrl());
        JsonNode definition = parse(BuildArtifacts.read(ruleFile), ruleFile);
        JsonNode payload = definition.path("topicRulePayload");
        this.rule = CfnTopicRule.Builder.create(this, "TelemetryRule")
                .ruleName(definition.path("ruleName").asText() + "_" + config.stage().replace('-', '_'))
                .topicRulePayload(CfnTopicRule.TopicRulePayloadProperty.builder()
                        .description(text(payload, "description", tokens))
                        .sql(text(payload, "sql", tokens))
                        .awsIotSqlVersion(text(payload, "awsIotSqlVersion", tokens))
                        .ruleDisabled(payload.path("ruleDisabled").asBoolean(false))
                        .actions(actions(payload.path("actions"), tokens, ruleFile))
                        .errorAction(action(payload.path("errorAction"), tokens, ruleFile))
                        .build())
                .build();
        // The role's policy must exist before IoT validates the rule's actions.
        rule.getNode().addDependency(ruleRole);
    }

    private static PolicyStatement statement(List<String> actions, String resource) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(List.of(resource)).build();
    }

    /**
     * Connect only with the client id of the thing whose certificate is used (and only if that certificate is
     * attached to the thing); publish only to {@code dt/waybill/<stage>/<own adapter>/<own thing name>}, the adapter
     * being the thing's {@value #ADAPTER_ATTRIBUTE} attribute (never a wildcard: a GPS tracker cannot publish as the
     * edge gateway or as a partner); subscribe to and receive only {@code cmd/waybill/<stage>/<own thing name>/stored},
     * the cloud's storage confirmations for its own messages.
     */
    private static Map<String, Object> devicePolicyDocument(String stage) {
        String iotArn = "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("Effect", "Allow");
        connect.put("Action", "iot:Connect");
        connect.put("Resource", iotArn + "client/${iot:Connection.Thing.ThingName}");
        connect.put("Condition", Map.of("Bool", Map.of("iot:Connection.Thing.IsAttached", "true")));
        Map<String, Object> publish = new LinkedHashMap<>();
        publish.put("Effect", "Allow");
        publish.put("Action", "iot:Publish");
        publish.put("Resource", iotArn + "topic/" + telemetryTopicPrefix(stage) + ADAPTER_POLICY_VARIABLE
                + "/${iot:Connection.Thing.ThingName}");
        // the cloud's storage confirmations (edge-acknowledgement): each thing subscribes to and receives its own only
        String confirmations = confirmationTopicPrefix(stage) + "${iot:Connection.Thing.ThingName}/stored";
        Map<String, Object> subscribe = new LinkedHashMap<>();
        subscribe.put("Effect", "Allow");
        subscribe.put("Action", "iot:Subscribe");
        subscribe.put("Resource", iotArn + "topicfilter/" + confirmations);
        Map<String, Object> receive = new LinkedHashMap<>();
        receive.put("Effect", "Allow");
        receive.put("Action", "iot:Receive");
        receive.put("Resource", iotArn + "topic/" + confirmations);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(connect, publish, subscribe, receive));
        return document;
    }

    /** {@code cmd/waybill/<stage>/}: the prefix of the stage's device commands ({@code <thingName>/stored} follows). */
    public static String confirmationTopicPrefix(String stage) {
        return "cmd/waybill/" + stage + "/";
    }

    /** {@code dt/waybill/<stage>/}: the prefix of every telemetry topic of the stage ({@code <adapter>/<thingName>} follow). */
    public static String telemetryTopicPrefix(String stage) {
        return TELEMETRY_TOPIC_ROOT + stage + "/";
    }

    private static JsonNode parse(String json, Path file) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Object> actions(JsonNode actions, Map<String, String> tokens, Path file) {
        List<Object> result = new ArrayList<>();
        actions.forEach(a -> result.add(action(a, tokens, file)));
        return result;
    }

    /** The action kinds the rule file uses; another kind fails the synth instead of being dropped. */
    private static CfnTopicRule.ActionProperty action(JsonNode action, Map<String, String> tokens, Path file) {
        if (action.size() != 1 || !(action.has("kinesis") || action.has("sqs"))) {
            throw new IllegalArgumentException(file + ": unsupported rule action " + action
                    + " (IotIngress maps kinesis and sqs actions; add the kind there)");
        }
        if (action.has("kinesis")) {
            JsonNode k = action.get("kinesis");
            return CfnTopicRule.ActionProperty.builder()
                    .kinesis(CfnTopicRule.KinesisActionProperty.builder()
                            .streamName(text(k, "streamName", tokens))
                            .partitionKey(text(k, "partitionKey", tokens))
                            .roleArn(text(k, "roleArn", tokens))
                            .build())
                    .build();
        }
        JsonNode s = action.get("sqs");
        return CfnTopicRule.ActionProperty.builder()
                .sqs(CfnTopicRule.SqsActionProperty.builder()
                        .queueUrl(text(s, "queueUrl", tokens))
                        .roleArn(text(s, "roleArn", tokens))
                        .useBase64(s.path("useBase64").asBoolean(false))
                        .build())
                .build();
    }

    /** A text field of the rule file with its placeholders replaced by the CDK tokens they name. */
    private static String text(JsonNode node, String field, Map<String, String> tokens) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(value.asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String token = tokens.get(m.group(1));
            if (token == null) {
                throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}} in the rule's " + field
                        + "; known: " + tokens.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(token));
        }
        m.appendTail(out);
        return out.toString();
    }

    public CfnTopicRule rule() {
        return rule;
    }

    public Role ruleRole() {
        return ruleRole;
    }

    public CfnPolicy devicePolicy() {
        return devicePolicy;
    }

    public CfnThingType thingType() {
        return thingType;
    }
}
