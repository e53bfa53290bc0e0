package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iot.CfnPolicy;
import software.amazon.awscdk.services.iot.CfnRoleAlias;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * What a Greengrass core device assumes (through the AWS IoT credentials provider and a role alias) to download
 * component artifacts: read of the edge component's artifact object and nothing else. The core's certificate needs
 * {@link #corePolicy()} attached besides the device policy (README, "Edge devices").
 */
public final class GreengrassTokenExchangeRole extends Construct {
    private final Role role;
    private final CfnRoleAlias roleAlias;
    private final CfnPolicy corePolicy;

    public GreengrassTokenExchangeRole(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("credentials.iot.amazonaws.com"))
                .description("Waybill " + config.stage() + " Greengrass token exchange role")
                .build();
        this.roleAlias = CfnRoleAlias.Builder.create(this, "Alias")
                .roleAlias(config.resourceName("greengrass-token-exchange"))
                .roleArn(role.getRoleArn())
                .credentialDurationSeconds(3600)
                .build();
        this.corePolicy = CfnPolicy.Builder.create(this, "CorePolicy")
                .policyName(config.resourceName("greengrass-core"))
                // Sorted maps: the same template bytes on every synth (Map.of's order varies between JVMs).
                .policyDocument(new java.util.TreeMap<>(Map.of(
                        "Version", "2012-10-17",
                        "Statement", List.of(new java.util.TreeMap<>(Map.of(
                                "Effect", "Allow",
                                "Action", "iot:AssumeRoleWithCertificate",
                                "Resource", "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                                        + ":rolealias/" + roleAlias.getRoleAlias()))))))
                .build();
        corePolicy.getNode().addDependency(roleAlias);
    }

    /** Lets core devices download one artifact object (an S3 object ARN, no wildcard). */
    void allowArtifactDownload(String objectArn) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of(objectArn))
                .build());
    }

    public Role role() {
        return role;
    }

    public CfnRoleAlias roleAlias() {
        return roleAlias;
    }

    public CfnPolicy corePolicy() {
        return corePolicy;
    }
}
