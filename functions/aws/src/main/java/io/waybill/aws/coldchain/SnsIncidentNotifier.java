package io.waybill.aws.coldchain;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.decision.IncidentNotifier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.Map;
import java.util.Objects;

/**
 * Publishes incident notifications to an SNS topic (the stage's incident topic, encrypted with its key). The body
 * is {@link IncidentNoticeJson}; {@code reason} and {@code severity} are message attributes, so a subscription can
 * filter (e.g. paging only on {@code CRITICAL}). A throttled or unreachable topic is transient (the batch retries), a
 * missing topic or a refused key permanent.
 */
public final class SnsIncidentNotifier implements IncidentNotifier {
    private static final String DEPENDENCY = "incident topic";

    private final SnsClient sns;
    private final String topicArn;

    public SnsIncidentNotifier(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
    }

    @Override
    public void notify(Notice notice) {
        try {
            sns.publish(r -> r.topicArn(topicArn)
                    .subject(notice.reason() + " " + notice.severity() + " incident " + notice.shipmentSscc())
                    .message(IncidentNoticeJson.toJson(notice))
                    .messageAttributes(Map.of(
                            "reason", text(notice.reason().name()),
                            "severity", text(notice.severity()))));
        } catch (SdkException e) {
            throw DependencyFailures.classify(DEPENDENCY, e);
        }
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
