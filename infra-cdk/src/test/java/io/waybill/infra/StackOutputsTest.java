package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class StackOutputsTest {
    /** Logical id -> export name suffix: what other teams import, written out by hand (issue 9, item 3). */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("TelemetryStreamName", "telemetry-stream-name");
        EXPECTED.put("TelemetryStreamArn", "telemetry-stream-arn");
        EXPECTED.put("TelemetryStreamKeyArn", "telemetry-stream-key-arn");
        // issue 10: the canonical stream, the raw archive and the claim-check bucket
        EXPECTED.put("CanonicalStreamName", "canonical-stream-name");
        EXPECTED.put("CanonicalStreamArn", "canonical-stream-arn");
        EXPECTED.put("CanonicalStreamKeyArn", "canonical-stream-key-arn");
        EXPECTED.put("RawArchiveBucketName", "raw-archive-bucket-name");
        EXPECTED.put("DeadLetterBucketName", "dead-letter-bucket-name");
        EXPECTED.put("IngestDeadLettersUrl", "ingest-dead-letters-url");
        EXPECTED.put("IngestDeadLettersArn", "ingest-dead-letters-arn");
        EXPECTED.put("IngestFailedBatchesUrl", "ingest-failed-batches-url");
        EXPECTED.put("IngestFailedBatchesArn", "ingest-failed-batches-arn");
        EXPECTED.put("IotRuleErrorsUrl", "iot-rule-errors-url");
        EXPECTED.put("IotRuleErrorsArn", "iot-rule-errors-arn");
        EXPECTED.put("ColdChainFailedBatchesUrl", "coldchain-failed-batches-url");
        EXPECTED.put("ColdChainFailedBatchesArn", "coldchain-failed-batches-arn");
        EXPECTED.put("EventsTableName", "events-table-name");
        EXPECTED.put("ShipmentsTableName", "shipments-table-name");
        EXPECTED.put("ExposureTableName", "exposure-table-name");
        EXPECTED.put("IncidentsTableName", "incidents-table-name");
        EXPECTED.put("ComplianceTableName", "compliance-table-name");
        EXPECTED.put("DeviceRegistryTableName", "device-registry-table-name");
        EXPECTED.put("TelemetryTopicPrefix", "telemetry-topic-prefix");
        EXPECTED.put("TelemetryRuleName", "telemetry-rule-name");
        EXPECTED.put("ThingTypeName", "thing-type-name");
        EXPECTED.put("DevicePolicyName", "device-policy-name");
        EXPECTED.put("ProvisioningTemplateName", "provisioning-template-name");
        EXPECTED.put("ProvisioningClaimPolicyName", "provisioning-claim-policy-name");
        EXPECTED.put("EdgeThingGroupName", "edge-thing-group-name");
        EXPECTED.put("EdgeThingGroupArn", "edge-thing-group-arn");
        EXPECTED.put("GreengrassRoleAliasName", "greengrass-role-alias-name");
        EXPECTED.put("GreengrassCorePolicyName", "greengrass-core-policy-name");
        // issue 13: the operations API and who may call it
        EXPECTED.put("OpsApiUrl", "ops-api-url");
        EXPECTED.put("OpsUserPoolId", "ops-user-pool-id");
        EXPECTED.put("OpsUserPoolClientId", "ops-user-pool-client-id");
        EXPECTED.put("OpsAuthUrl", "ops-auth-url");
        // issue 16: the EPCIS repository (partner outputs only on a stage with partners: PartnerExchangeTest)
        EXPECTED.put("EpcisTableName", "epcis-table-name");
    }

    private static Map<String, Object> outputs(SynthesizedStacks.Synthesized variant) {
        return asMap(asMap(variant.template().toJSON()).get("Outputs"));
    }

    @Test
    void templateOutputsEveryHandOverValueUnderAStableIdAndAStageExportName() {
        for (var variant : List.of(SynthesizedStacks.dev(), SynthesizedStacks.loadTest())) {
            String stage = variant.stack().config().stage();
            Map<String, Object> outputs = outputs(variant);
            assertThat(outputs.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
            EXPECTED.forEach((id, suffix) -> {
                Map<String, Object> output = asMap(outputs.get(id));
                assertThat(asMap(output.get("Export"))).containsEntry("Name", "waybill-" + stage + "-" + suffix);
                assertThat(output.get("Description").toString()).hasSizeGreaterThan(15);
            });
        }
    }

    @Test
    void plainValuesAreTheStagesNames() {
        Map<String, Object> outputs = outputs(SynthesizedStacks.loadTest());
        assertThat(value(outputs, "TelemetryTopicPrefix")).isEqualTo("dt/waybill/load-test/");
        assertThat(value(outputs, "TelemetryRuleName")).isEqualTo("waybill_telemetry_to_kinesis_load_test");
        assertThat(value(outputs, "EdgeThingGroupName")).isEqualTo("waybill-load-reefers");
        assertThat(value(outputs, "DevicePolicyName")).isEqualTo("waybill-load-test-device");
        assertThat(value(outputs, "ThingTypeName")).isEqualTo("waybill-load-test-reefer");
        assertThat(value(outputs, "GreengrassRoleAliasName")).isEqualTo("waybill-load-test-greengrass-token-exchange");
        assertThat(value(outputs(SynthesizedStacks.dev()), "EdgeThingGroupName")).isEqualTo("waybill-dev-edge");
        assertThat(value(outputs, "ProvisioningTemplateName")).isEqualTo("waybill-load-test-devices");
        assertThat(value(outputs, "ProvisioningClaimPolicyName")).isEqualTo("waybill-load-test-provisioning-claim");
    }

    @Test
    void resourceOutputsReferToTheirResources() {
        var dev = SynthesizedStacks.dev();
        Map<String, Object> outputs = outputs(dev);
        assertThat(asMap(outputs.get("TelemetryStreamName")).get("Value"))
                .isEqualTo(Map.of("Ref", dev.logicalId(dev.stack().telemetry().stream())));
        assertThat(asMap(outputs.get("EventsTableName")).get("Value"))
                .isEqualTo(Map.of("Ref", dev.logicalId(dev.stack().eventStore().events())));
        assertThat(asMap(outputs.get("IngestDeadLettersUrl")).get("Value"))
                .isEqualTo(Map.of("Ref", dev.logicalId(dev.stack().deadLetters().ingestDeadLetters())));
        var stack = dev.stack();
        assertThat(value(outputs, "CanonicalStreamName"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.canonicalEvents().stream())));
        assertThat(value(outputs, "CanonicalStreamArn"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().stream()), "Arn")));
        assertThat(value(outputs, "CanonicalStreamKeyArn"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().key()), "Arn")));
        assertThat(value(outputs, "DeviceRegistryTableName"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.deviceRegistry().table())));
        assertThat(value(outputs, "RawArchiveBucketName"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.rawArchive().bucket())));
        assertThat(value(outputs, "DeadLetterBucketName"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.deadLetterPayloads().bucket())));
        assertThat(value(outputs, "OpsUserPoolId"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.opsApi().userPool())));
        assertThat(value(outputs, "OpsUserPoolClientId"))
                .isEqualTo(Map.of("Ref", dev.logicalId(stack.opsApi().client())));
        // https://<api id>.execute-api.<region>.<url suffix>/ : the $default stage's URL, built from the API's id
        assertThat(value(outputs, "OpsApiUrl").toString()).startsWith("{Fn::Join=[, [https://, {Ref="
                + dev.logicalId(stack.opsApi().api()) + "}, .execute-api.");
        assertThat(asMap(outputs.get("EdgeThingGroupArn")).get("Value")).isEqualTo(Map.of("Fn::GetAtt",
                List.of(dev.logicalId(dev.stack().edgeThingGroup().resource().orElseThrow()), "Arn")));
    }

    private static Object value(Map<String, Object> outputs, String id) {
        return asMap(outputs.get(id)).get("Value");
    }
}
