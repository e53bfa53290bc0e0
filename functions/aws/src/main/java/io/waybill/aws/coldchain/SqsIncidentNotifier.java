package io.waybill.aws.coldchain;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.decision.IncidentNotifier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends incident notifications to an SQS queue: the local stack's stand-in for the SNS topic (the emulators have
 * no SNS), which the demo drains and reports. Same body ({@link IncidentNoticeJson}) and attributes as on SNS.
 */
public final class SqsIncidentNotifier implements IncidentNotifier {
    private static final String DEPENDENCY = "incident queue";

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsIncidentNotifier(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void notify(Notice notice) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(IncidentNoticeJson.toJson(notice))
                    .messageAttributes(Map.of("reason", text(notice.reason().name()),
                            "severity", text(notice.severity()))));
        } catch (SdkException e) {
            throw DependencyFailures.classify(DEPENDENCY, e);
        }
    }

    /** Receives and deletes every notice on the queue (the demo's reader; a few short polls until it is empty). */
    public List<Notice> drain() {
        List<Notice> out = new ArrayList<>();
        try {
            for (int empty = 0; empty < 2; ) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(0)).messages();
                if (messages.isEmpty()) {
                    empty++;
                    continue;
                }
                for (var m : messages) {
                    out.add(IncidentNoticeJson.fromJson(m.body()));
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                }
            }
            return out;
        } catch (SdkException e) {
            throw DependencyFailures.classify(DEPENDENCY, e);
        }
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
