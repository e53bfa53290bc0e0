package io.waybill.aws.deadletter;

import io.waybill.domain.device.DeadLetterSettlements;
import io.waybill.domain.ingestion.SettlingDeadLetterSink;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Objects;

/**
 * Settlement notices of dead-lettered edge messages ({@link DeadLetterSettlements}) to an SQS queue, one message
 * each: {@code {"thingName":"reefer-07","sequence":6,"reason":"IMPOSSIBLE_VALUE"}}. The edge acknowledgement
 * function reads the queue ({@code DeadLetterSettlementHandler}) and confirms the sequences to their devices. A
 * failure is thrown as it came; {@link SettlingDeadLetterSink} counts it and goes on.
 */
public final class SqsSettlementNotices implements SettlingDeadLetterSink.SettlementNotices {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsSettlementNotices(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void send(DeadLetterSettlements.Settlement settlement) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(DeadLetterSettlements.toJson(settlement)));
    }
}
