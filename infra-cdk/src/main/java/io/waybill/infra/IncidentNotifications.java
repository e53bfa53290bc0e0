package io.waybill.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

import java.util.List;

/**
 * The incident topic: every incident a breach decision opens, and every escalation of one, is published here at once
 * ({@code io.waybill.aws.coldchain.SnsIncidentNotifier}; body {@code IncidentNoticeJson}, message attributes
 * {@code reason} and {@code severity} for subscription filters). Subscriptions (e-mail, a pager, a chat hook) are
 * the stage owner's to add. Encrypted with a customer-managed key of its own ({@link CustomerKey}), TLS only, and
 * the functions that act on breaches may publish and nothing else.
 */
public final class IncidentNotifications extends Construct {
    private final Topic topic;
    private final Key key;

    public IncidentNotifications(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = CustomerKey.of(this, config, "incident notifications", "incident-notifications",
                RemovalPolicy.DESTROY);
        this.topic = Topic.Builder.create(this, "Topic")
                .topicName(config.resourceName("incidents"))
                .displayName("Waybill " + config.stage() + " incidents")
                .masterKey(key)
                .enforceSsl(true)
                .build();
    }

    /**
     * {@code sns:Publish} on this topic only, and the key use SNS needs to encrypt the message for the publisher
     * ({@code kms:GenerateDataKey}, {@code kms:Decrypt}; no wildcard action), only through SNS.
     */
    void grantPublish(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .build());
        KeyUse.allow(function, key, KeyUse.SNS, "kms:GenerateDataKey", "kms:Decrypt");
    }

    public Topic topic() {
        return topic;
    }

    public Key key() {
        return key;
    }
}
