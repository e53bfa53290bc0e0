package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iot.CfnPolicy;
import software.amazon.awscdk.services.iot.CfnProvisioningTemplate;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.CfnPermission;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet provisioning by claim for the stage's devices: the provisioning template {@code waybill-<stage>-devices}, the
 * role AWS IoT provisions with, the claim policy of the fleet's shared claim certificate and the pre-provisioning hook
 * (module {@code functions/device-provisioning}) that lets only registered, active devices through.
 *
 * <p>A device connects with the claim certificate (client id {@value #CLAIM_CLIENT_PREFIX}…), sends its own CSR to
 * {@code $aws/certificates/create-from-csr/json} (its private key never leaves it), then RegisterThing with
 * {@code ThingName} (and, for a device registered with a signing key, {@code KeyId} and {@code CertificateProof}: its
 * signature over the thing name and the new certificate's id). The hook reads the registry: a thing that is not
 * registered, is revoked, or has signing keys and no valid proof, is refused; an active one is provisioned with the
 * registry's adapter ({@code Adapter} overridden, whatever the device sent). The template
 * then creates (or updates) the thing of the stage's thing type with attribute {@value IotIngress#ADAPTER_ATTRIBUTE}
 * = that adapter, activates the new certificate, attaches it to the thing and attaches the scoped device policy to the
 * certificate: revoking the certificate ({@code REVOKED}) therefore cuts the device off at connect.
 */
public final class DeviceProvisioning extends Construct {
    public static final String HANDLER = "io.waybill.provisioning.PreProvisioningHookHandler::handleRequest";
    public static final String ALIAS_NAME = "live";
    /** Template parameter names: the device's thing name and the adapter the hook always sets. */
    public static final String THING_NAME_PARAMETER = "ThingName";
    public static final String ADAPTER_PARAMETER = "Adapter";
    public static final String CERTIFICATE_ID_PARAMETER = "AWS::IoT::Certificate::Id";
    /**
     * Proof of possession of the registered signing key (functions/device-provisioning, {@code ProvisioningGate}): the
     * key's RFC 7638 thumbprint and the device's ES256 signature over
     * {@code waybill-provisioning-v1:<ThingName>:<certificateId>}. Only the hook reads them; empty by default, for a
     * device registered without a signing key.
     */
    public static final String KEY_ID_PARAMETER = "KeyId";
    public static final String CERTIFICATE_PROOF_PARAMETER = "CertificateProof";
    /** The client-id prefix a device connects with while it holds only the claim certificate. */
    public static final String CLAIM_CLIENT_PREFIX = "provision-";
    /** The payload version of the hook's input (AWS IoT's only one). */
    public static final String HOOK_PAYLOAD_VERSION = "2020-04-01";
    /**
     * AWS IoT gives the hook 5 seconds, cold start included: SnapStart behind the alias, 1024 MB (CPU for the SDK's
     * first call), and the function's own timeout at that limit.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(5);

    private final Function hook;
    private final Alias hookAlias;
    private final Role hookRole;
    private final Role provisioningRole;
    private final CfnPolicy claimPolicy;
    private final CfnProvisioningTemplate template;
    private final String templateName;

    public DeviceProvisioning(Construct scope, String id, StageConfig config, Path hookJar, DeviceRegistry registry,
                              IotIngress iot) {
        super(scope, id);
        this.templateName = config.resourceName("devices");
        String iotArn = "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
        String templateArn = iotArn + "provisioningtemplate/" + templateName;

        JavaFunction function = JavaFunction.in(this, config.resourceName("device-provisioning-hook"))
                .roleDescription("Waybill " + config.stage() + " device pre-provisioning hook")
                .description("Fleet provisioning: only registered ACTIVE devices, under the registry's adapter")
                .handler(HANDLER)
                .code(hookJar, "functions/device-provisioning")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(Map.of(
                        "WAYBILL_DEVICE_REGISTRY_TABLE", registry.table().getTableName(),
                        "POWERTOOLS_SERVICE_NAME", "device-provisioning"))
                .build();
        this.hook = function.function();
        this.hookAlias = function.alias();
        this.hookRole = function.role();
        registry.grantProfileRead(hookRole);

        // Only AWS IoT, for this account's template of this stage (confused deputy: source account and ARN).
        CfnPermission invoke = CfnPermission.Builder.create(this, "IotInvokesHook")
                .action("lambda:InvokeFunction")
                .functionName(hookAlias.getFunctionArn())
                .principal("iot.amazonaws.com")
                .sourceAccount(Aws.ACCOUNT_ID)
                .sourceArn(templateArn)
                .build();

        // What the template makes AWS IoT do, on the stage's thing type and device policy, and on things and
        // certificates (their names and ids are not known in advance). The subset of AWSIoTThingsRegistration's
        // actions this template uses.
        this.provisioningRole = Role.Builder.create(this, "ProvisioningRole")
                .assumedBy(new ServicePrincipal("iot.amazonaws.com"))
                .description("Waybill " + config.stage() + " fleet provisioning (AWS IoT)")
                .build();
        provisioningRole.addToPrincipalPolicy(statement(List.of("iot:CreateThing", "iot:DescribeThing",
                "iot:UpdateThing", "iot:AttachThingPrincipal"), iotArn + "thing/*"));
        provisioningRole.addToPrincipalPolicy(statement(List.of("iot:DescribeThingType"),
                iotArn + "thingtype/" + iot.thingType().getThingTypeName()));
        provisioningRole.addToPrincipalPolicy(statement(List.of("iot:DescribeCertificate", "iot:UpdateCertificate",
                "iot:AttachPolicy"), iotArn + "cert/*"));
        provisioningRole.addToPrincipalPolicy(statement(List.of("iot:GetPolicy", "iot:AttachPolicy"),
                iotArn + "policy/" + iot.devicePolicy().getPolicyName()));

        this.claimPolicy = CfnPolicy.Builder.create(this, "ClaimPolicy")
                .policyName(config.resourceName("provisioning-claim"))
                .policyDocument(claimPolicyDocument(iotArn, templateName))
                .build();

        this.template = CfnProvisioningTemplate.Builder.create(this, "Template")
                .templateName(templateName)
                .description("Waybill " + config.stage() + ": fleet provisioning by claim of registered devices")
                .enabled(true)
                .templateType("FLEET_PROVISIONING")
                .provisioningRoleArn(provisioningRole.getRoleArn())
                .preProvisioningHook(CfnProvisioningTemplate.ProvisioningHookProperty.builder()
                        .targetArn(hookAlias.getFunctionArn())
                        .payloadVersion(HOOK_PAYLOAD_VERSION)
                        .build())
                .templateBody(Stack.of(this).toJsonString(templateBody(iot.thingType().getThingTypeName(),
                        iot.devicePolicy().getPolicyName())))
                .build();
        template.getNode().addDependency(invoke);
        template.getNode().addDependency(provisioningRole);
        template.getNode().addDependency(iot.devicePolicy());
        template.getNode().addDependency(iot.thingType());
    }

    private static PolicyStatement statement(List<String> actions, String resource) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(List.of(resource)).build();
    }

    /**
     * The fleet provisioning template: parameters {@value #THING_NAME_PARAMETER}, {@value #ADAPTER_PARAMETER} (set by
     * the hook), the certificate id, and {@value #KEY_ID_PARAMETER} and {@value #CERTIFICATE_PROOF_PARAMETER} (read by
     * the hook only; default empty); a thing of the stage's type with attribute {@code adapter} = the
     * {@value #ADAPTER_PARAMETER} parameter (replacing what a re-provisioned thing had), the certificate ACTIVE and the
     * device policy. In a provisioning template the certificate is attached to the thing and the policy to the
     * certificate.
     */
    static Map<String, Object> templateBody(String thingTypeName, String devicePolicyName) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(THING_NAME_PARAMETER, Map.of("Type", "String"));
        parameters.put(ADAPTER_PARAMETER, Map.of("Type", "String"));
        parameters.put(CERTIFICATE_ID_PARAMETER, Map.of("Type", "String"));
        parameters.put(KEY_ID_PARAMETER, Map.of("Type", "String", "Default", ""));
        parameters.put(CERTIFICATE_PROOF_PARAMETER, Map.of("Type", "String", "Default", ""));

        Map<String, Object> thingProperties = new LinkedHashMap<>();
        thingProperties.put("ThingName", Map.of("Ref", THING_NAME_PARAMETER));
        thingProperties.put("ThingTypeName", thingTypeName);
        thingProperties.put("AttributePayload", Map.of(IotIngress.ADAPTER_ATTRIBUTE, Map.of("Ref", ADAPTER_PARAMETER)));
        Map<String, Object> thing = new LinkedHashMap<>();
        thing.put("Type", "AWS::IoT::Thing");
        thing.put("Properties", thingProperties);
        thing.put("OverrideSettings", Map.of("AttributePayload", "REPLACE", "ThingTypeName", "REPLACE",
                "ThingGroups", "DO_NOTHING"));

        Map<String, Object> certificate = new LinkedHashMap<>();
        certificate.put("Type", "AWS::IoT::Certificate");
        certificate.put("Properties", Map.of("CertificateId", Map.of("Ref", CERTIFICATE_ID_PARAMETER),
                "Status", "ACTIVE"));

        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Type", "AWS::IoT::Policy");
        policy.put("Properties", Map.of("PolicyName", devicePolicyName));

        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("thing", thing);
        resources.put("certificate", certificate);
        resources.put("policy", policy);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Parameters", parameters);
        body.put("Resources", resources);
        return body;
    }

    /**
     * The claim certificate's policy: connect only with a {@value #CLAIM_CLIENT_PREFIX} client id (never a device's
     * own, which would disconnect it), exchange a CSR for a certificate (not {@code certificates/create}, where AWS
     * would generate the private key) and call this stage's template; nothing else, in particular no telemetry.
     */
    private static Map<String, Object> claimPolicyDocument(String iotArn, String templateName) {
        String csr = "$aws/certificates/create-from-csr/*";
        String provision = "$aws/provisioning-templates/" + templateName + "/provision/*";
        List<Map<String, Object>> statements = List.of(
                allow("iot:Connect", List.of(iotArn + "client/" + CLAIM_CLIENT_PREFIX + "*")),
                allow(List.of("iot:Publish", "iot:Receive"), List.of(iotArn + "topic/" + csr, iotArn + "topic/" + provision)),
                allow("iot:Subscribe", List.of(iotArn + "topicfilter/" + csr, iotArn + "topicfilter/" + provision)));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return document;
    }

    private static Map<String, Object> allow(Object action, List<String> resources) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Action", action);
        statement.put("Resource", resources);
        return statement;
    }

    public Function hook() {
        return hook;
    }

    public Alias hookAlias() {
        return hookAlias;
    }

    public Role hookRole() {
        return hookRole;
    }

    public Role provisioningRole() {
        return provisioningRole;
    }

    public CfnPolicy claimPolicy() {
        return claimPolicy;
    }

    public CfnProvisioningTemplate template() {
        return template;
    }

    public String templateName() {
        return templateName;
    }
}
