package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.partner.ingress.PartnerEvent;
import io.waybill.domain.partner.ingress.RefusedEventQueue;
import io.waybill.domain.partner.ingress.RefusedPartnerEvent;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Refused partner events on the partner ingress dead-letter queue, in the shape EventBridge's own rule dead-letter
 * queue uses: the body is the event exactly as it was delivered (replay = hand the body to the partner ingress
 * function again, or put its detail again), the why and the origin in message attributes: {@code REASON},
 * {@code DETAIL} (at most {@value #MAX_DETAIL} characters), {@code ACCOUNT}, {@code SOURCE}, {@code DETAIL_TYPE},
 * {@code EVENT_ID}, {@code BUS} (when known). IAM: {@code sqs:SendMessage} on the queue.
 */
public final class SqsRefusedEventQueue implements RefusedEventQueue {
    /** Longest {@code DETAIL} attribute. */
    public static final int MAX_DETAIL = 1024;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsRefusedEventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void refuse(RefusedPartnerEvent refused) {
        PartnerEvent e = refused.event();
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        put(attributes, "REASON", refused.reason().name());
        put(attributes, "DETAIL", refused.detail().length() > MAX_DETAIL
                ? refused.detail().substring(0, MAX_DETAIL) : refused.detail());
        put(attributes, "ACCOUNT", e.account());
        put(attributes, "SOURCE", e.source());
        put(attributes, "DETAIL_TYPE", e.detailType());
        put(attributes, "EVENT_ID", e.id());
        put(attributes, "BUS", refused.bus());
        try {
            sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(e.raw())
                    .messageAttributes(attributes).build());
        } catch (SdkException ex) {
            throw DependencyFailures.classify("partner ingress dead-letter queue", ex);
        }
    }

    private static void put(Map<String, MessageAttributeValue> attributes, String name, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
        }
    }
}
