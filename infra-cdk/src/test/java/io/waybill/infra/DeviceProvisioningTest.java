package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet provisioning by claim, read from the synthesised template: the template body (parsed as JSON), its hook, its
 * role, the claim policy, and what makes a revoked certificate unable to publish.
 */
class DeviceProvisioningTest {
    private static SynthesizedStacks.Synthesized dev;
    private static Map<String, Object> template;
    private static JsonNode body;
    private static Map<String, Object> devicePolicy;

    @BeforeAll
    static void synthesize() throws Exception {
        dev = SynthesizedStacks.dev();
        template = dev.onlyProperties("AWS::IoT::ProvisioningTemplate");
        body = new ObjectMapper().readTree(template.get("TemplateBody").toString());
        devicePolicy = dev.properties(dev.stack().iot().devicePolicy());
    }

    @Test
    void templateIsTheStagesEnabledFleetProvisioningTemplateWithItsRoleAndHook() {
        var provisioning = dev.stack().deviceProvisioning();
        assertThat(template).containsEntry("TemplateName", "waybill-dev-devices")
                .containsEntry("Enabled", true)
                .containsEntry("TemplateType", "FLEET_PROVISIONING")
                .containsEntry("ProvisioningRoleArn",
                        Map.of("Fn::GetAtt", List.of(dev.logicalId(provisioning.provisioningRole()), "Arn")))
                .containsEntry("PreProvisioningHook", Map.of(
                        "TargetArn", Map.of("Ref", dev.logicalId(provisioning.hookAlias())),
                        "PayloadVersion", "2020-04-01"));
    }

    @Test
    void templateBodyCreatesTheThingWithTheAdapterAttributeFromTheAdapterParameter() {
        assertThat(fieldNames(body.get("Parameters"))).containsExactlyInAnyOrder("ThingName", "Adapter",
                "AWS::IoT::Certificate::Id", "KeyId", "CertificateProof");
        body.get("Parameters").forEach(p -> assertThat(p.get("Type").asText()).isEqualTo("String"));
        assertThat(fieldNames(body.get("Resources"))).containsExactlyInAnyOrder("thing", "certificate", "policy");

        JsonNode thing = body.get("Resources").get("thing");
        assertThat(thing.get("Type").asText()).isEqualTo("AWS::IoT::Thing");
        assertThat(thing.at("/Properties/ThingName/Ref").asText()).isEqualTo("ThingName");
        assertThat(thing.at("/Properties/ThingTypeName").asText())
                .isEqualTo(dev.properties(dev.stack().iot().thingType()).get("ThingTypeName"))
                .isEqualTo("waybill-dev-reefer");
        // exactly one attribute, named as the device policy's variable reads it, from the Adapter parameter
        JsonNode attributes = thing.at("/Properties/AttributePayload");
        String publish = statement(devicePolicy, "iot:Publish").get("Resource").toString();
        String attribute = publish.replaceAll(".*\\$\\{iot:Connection\\.Thing\\.Attributes\\[([^]]+)]}.*", "$1");
        assertThat(attribute).isEqualTo("adapter");
        assertThat(fieldNames(attributes)).containsExactly(attribute);
        assertThat(attributes.get(attribute).get("Ref").asText()).isEqualTo("Adapter");
        // a re-provisioned thing gets the registry's adapter, not whatever it had
        assertThat(thing.at("/OverrideSettings/AttributePayload").asText()).isEqualTo("REPLACE");
    }

    @Test
    void templateDeclaresTheProofOfPossessionParametersEmptyByDefaultAndOnlyTheHookReadsThem() {
        // the names the hook reads (ProvisioningGate.KEY_ID, CERTIFICATE_PROOF); empty for a device without keys, so
        // it may leave them out
        JsonNode parameters = body.get("Parameters");
        assertThat(parameters.get("KeyId").get("Default").asText()).isEmpty();
        assertThat(parameters.get("CertificateProof").get("Default").asText()).isEmpty();
        assertThat(parameters.get("ThingName").has("Default")).isFalse();
        // no resource of the template uses them: the proof is not written onto the thing or anywhere else
        String resources = body.get("Resources").toString();
        assertThat(resources).doesNotContain("KeyId", "CertificateProof");
    }

    @Test
    void templateBodyActivatesTheDevicesOwnCertificateAndAttachesTheScopedDevicePolicy() {
        JsonNode certificate = body.get("Resources").get("certificate");
        assertThat(certificate.get("Type").asText()).isEqualTo("AWS::IoT::Certificate");
        assertThat(fieldNames(certificate.get("Properties"))).containsExactlyInAnyOrder("CertificateId", "Status");
        // the certificate the device got from its own CSR (RegisterThing's certificate id), never the claim certificate
        assertThat(certificate.at("/Properties/CertificateId/Ref").asText()).isEqualTo("AWS::IoT::Certificate::Id");
        assertThat(certificate.at("/Properties/Status").asText()).isEqualTo("ACTIVE");

        JsonNode policy = body.get("Resources").get("policy");
        assertThat(policy.get("Type").asText()).isEqualTo("AWS::IoT::Policy");
        // by name: the stage's scoped device policy, not an inline document of its own
        assertThat(fieldNames(policy.get("Properties"))).containsExactly("PolicyName");
        assertThat(policy.at("/Properties/PolicyName").asText()).isEqualTo(devicePolicy.get("PolicyName"))
                .isEqualTo("waybill-dev-device");
    }

    @Test
    void revokedCertificateCannotPublish() {
        // 1. The device policy reaches a device only through its certificate: the template attaches the policy to the
        //    certificate it provisions (no thing group policy, no other attachment of the device policy in the stack).
        assertThat(dev.resources("AWS::IoT::PolicyPrincipalAttachment")).isEmpty();
        assertThat(dev.resources("AWS::IoT::ThingPrincipalAttachment")).isEmpty();
        assertThat(body.get("Resources").get("policy").has("Properties")).isTrue();
        assertThat(body.toString()).doesNotContain("ThingGroups\":[");
        // 2. AWS IoT refuses a certificate whose status is REVOKED at connect; and connecting at all needs the
        //    certificate attached to the thing whose name is the client id.
        Map<String, Object> connect = statement(devicePolicy, "iot:Connect");
        assertThat(connect.get("Condition"))
                .isEqualTo(Map.of("Bool", Map.of("iot:Connection.Thing.IsAttached", "true")));
        assertThat(connect.get("Resource").toString()).endsWith(":client/${iot:Connection.Thing.ThingName}]]}");
        // 3. Publishing is under the thing's own name only, so no other (unrevoked) identity is usable by it.
        assertThat(statement(devicePolicy, "iot:Publish").get("Resource").toString())
                .endsWith("/${iot:Connection.Thing.ThingName}]]}");
    }

    @Test
    void hookIsTheShadedProvisioningJarOnJava21Arm64WithSnapStartWithinIotsFiveSeconds() throws Exception {
        Map<String, Object> function = dev.properties(dev.stack().deviceProvisioning().hook());
        assertThat(function).containsEntry("FunctionName", "waybill-dev-device-provisioning-hook")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("Handler", "io.waybill.provisioning.PreProvisioningHookHandler::handleRequest")
                .containsEntry("Timeout", 5);
        assertThat(asMap(asMap(function.get("Environment")).get("Variables")))
                .containsEntry("WAYBILL_DEVICE_REGISTRY_TABLE",
                        Map.of("Ref", dev.logicalId(dev.stack().deviceRegistry().table())));
        Path staged = dev.stagedAsset(asMap(function.get("Code")).get("S3Key").toString());
        Path built = BuildArtifacts.in(SynthesizedStacks.repoRoot()).deviceProvisioningJar();
        assertThat(IngestServiceTest.sha256(staged)).isEqualTo(IngestServiceTest.sha256(built));
        try (ZipFile jar = new ZipFile(staged.toFile())) {
            assertThat(jar.getEntry("io/waybill/provisioning/PreProvisioningHookHandler.class")).isNotNull();
        }
    }

    @Test
    void onlyAwsIotMayInvokeTheHookForThisAccountsTemplateOfThisStage() {
        var permissions = dev.resources("AWS::Lambda::Permission").values().stream()
                .map(p -> asMap(p.get("Properties")))
                .filter(p -> p.get("FunctionName").equals(Map.of("Ref",
                        dev.logicalId(dev.stack().deviceProvisioning().hookAlias()))))
                .toList();
        assertThat(permissions).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("Action", "lambda:InvokeFunction")
                    .containsEntry("Principal", "iot.amazonaws.com")
                    .containsEntry("SourceAccount", Map.of("Ref", "AWS::AccountId"));
            assertThat(p.get("SourceArn").toString()).endsWith(":provisioningtemplate/waybill-dev-devices]]}")
                    .contains("{Ref=AWS::Region}").contains("{Ref=AWS::AccountId}");
        });
    }

    @Test
    void provisioningRoleIsAssumedByAwsIotOnly() {
        Map<String, Object> role = dev.properties(dev.stack().deviceProvisioning().provisioningRole());
        assertThat(asList(asMap(role.get("AssumeRolePolicyDocument")).get("Statement"))).containsExactly(Map.of(
                "Action", "sts:AssumeRole", "Effect", "Allow",
                "Principal", Map.of("Service", "iot.amazonaws.com")));
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void claimCertificateMayOnlyExchangeACsrAndCallThisTemplate() {
        Map<String, Object> claim = dev.properties(dev.stack().deviceProvisioning().claimPolicy());
        assertThat(claim).containsEntry("PolicyName", "waybill-dev-provisioning-claim");
        List<Object> statements = asList(asMap(claim.get("PolicyDocument")).get("Statement"));
        List<String> actions = new ArrayList<>();
        statements.forEach(s -> {
            Object a = asMap(s).get("Action");
            if (a instanceof List<?> list) {
                list.forEach(x -> actions.add(x.toString()));
            } else {
                actions.add(a.toString());
            }
        });
        assertThat(actions).containsExactlyInAnyOrder("iot:Connect", "iot:Publish", "iot:Receive", "iot:Subscribe");
        String text = statements.toString();
        assertThat(text).contains(":client/provision-*", "topic/$aws/certificates/create-from-csr/*",
                        "topic/$aws/provisioning-templates/waybill-dev-devices/provision/*",
                        "topicfilter/$aws/certificates/create-from-csr/*")
                // no telemetry, no key generation by AWS (certificates/create), no other template
                .doesNotContain("dt/waybill", "$aws/certificates/create/", "provisioning-templates/*");
    }

    private static Map<String, Object> statement(Map<String, Object> policy, String action) {
        return asList(asMap(policy.get("PolicyDocument")).get("Statement")).stream().map(SynthesizedStacks::asMap)
                .filter(s -> action.equals(s.get("Action"))).findFirst().orElseThrow();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
