package io.waybill.aws.partner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.partner.OutboundEntry;
import io.waybill.domain.partner.PartnerDeadLetters;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Partner entries that could not be delivered, on an SQS queue: one JSON message
 * {@code {"reason", "partner", "sscc", "eventId", "source", "detailType", "time", "size", "detail"}} with the
 * message attributes {@code partner} and {@code reason}. {@code detail} is left out when the message would pass SQS's
 * 256 KiB (an oversized entry): the canonical event is in the event store under {@code eventId}, so the entry can be
 * rebuilt. IAM: {@code sqs:SendMessage} on the queue.
 */
public final class SqsPartnerDeadLetters implements PartnerDeadLetters {
    /** Largest body sent with the detail inline (SQS's limit is 262,144 bytes with attributes). */
    static final int INLINE_LIMIT_BYTES = 250_000;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsPartnerDeadLetters(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void deadLetter(OutboundEntry entry, String reason) {
        ObjectNode body = CanonicalEventJson.MAPPER.createObjectNode();
        body.put("reason", reason);
        body.put("partner", entry.partnerId());
        body.put("sscc", entry.sscc());
        body.put("eventId", entry.eventId());
        body.put("source", entry.source());
        body.put("detailType", entry.detailType());
        if (entry.time() != null) {
            body.put("time", entry.time().toString());
        }
        body.put("size", entry.size());
        String withoutDetail = body.toString();
        if (entry.detail() != null
                && withoutDetail.getBytes(StandardCharsets.UTF_8).length
                + entry.detail().getBytes(StandardCharsets.UTF_8).length * 2L < INLINE_LIMIT_BYTES) {
            body.put("detail", entry.detail());
        }
        try {
            sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body.toString())
                    .messageAttributes(Map.of(
                            "partner", text(entry.partnerId()),
                            "reason", text(reason.length() > 256 ? reason.substring(0, 256) : reason)))
                    .build());
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner dead-letter queue", e);
        }
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
