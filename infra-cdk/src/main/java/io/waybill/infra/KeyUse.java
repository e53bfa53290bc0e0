package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

import java.util.List;
import java.util.Map;

/**
 * A role's use of a customer-managed key, allowed only through the one AWS service that encrypts the role's data with
 * it ({@code kms:ViaService} = {@code <service>.<region>.amazonaws.com}). No role in the stack calls KMS itself: each
 * reads and writes a table, stream, queue or bucket, and that service calls KMS on the role's behalf. With the
 * condition, the role's credentials cannot decrypt a stolen ciphertext or generate data keys by calling KMS directly.
 */
final class KeyUse {
    /** Tables (SSE with a customer-managed key). */
    static final String DYNAMODB = "dynamodb";
    /** Streams: producers need {@code kms:GenerateDataKey}, consumers {@code kms:Decrypt} (Kinesis docs). */
    static final String KINESIS = "kinesis";
    /** Queues: a producer needs {@code kms:GenerateDataKey} and {@code kms:Decrypt} (SQS docs). */
    static final String SQS = "sqs";
    /** Topics: a publisher needs {@code kms:GenerateDataKey} and {@code kms:Decrypt} (SNS docs). */
    static final String SNS = "sns";
    /** Buckets (SSE-KMS). */
    static final String S3 = "s3";

    private KeyUse() {
    }

    /** Allows {@code actions} on {@code key} to {@code grantee}, only when {@code service} makes the request. */
    static void allow(IGrantable grantee, IKey key, String service, String... actions) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(statement(key, service, actions));
    }

    /** The statement {@link #allow} adds. */
    static PolicyStatement statement(IKey key, String service, String... actions) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of(actions))
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", viaService(service))))
                .build();
    }

    /** {@code <service>.<region>.amazonaws.com}, the region the stack's own. */
    static String viaService(String service) {
        return service + "." + Aws.REGION + ".amazonaws.com";
    }
}
