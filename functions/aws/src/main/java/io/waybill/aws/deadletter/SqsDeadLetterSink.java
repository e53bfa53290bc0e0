package io.waybill.aws.deadletter;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends dead letters to SQS. The body is {@link DeadLetterJson} (raw payload in base64, reason, origin); the
 * reason and adapter are also message attributes so a console or a filter can triage without decoding bodies.
 */
public final class SqsDeadLetterSink implements DeadLetterSink {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetterSink(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(DeadLetter letter) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("reason", text(letter.reason().name()));
        if (letter.adapter() != null) {
            attributes.put("adapter", text(letter.adapter()));
        }
        try {
            sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl)
                    .messageBody(DeadLetterJson.toJson(letter)).messageAttributes(attributes).build());
        } catch (SdkException e) {
            throw new TransientDependencyException("dead-letter queue", e.getMessage(), e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
