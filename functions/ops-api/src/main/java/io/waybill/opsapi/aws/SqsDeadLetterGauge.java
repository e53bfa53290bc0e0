package io.waybill.opsapi.aws;

import io.waybill.opsapi.DeadLetterGauge;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Objects;

/** The dead-letter queue's {@code ApproximateNumberOfMessages}: one GetQueueAttributes call. */
public final class SqsDeadLetterGauge implements DeadLetterGauge {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetterGauge(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public long approximateDepth() {
        String v = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return v == null ? 0 : Long.parseLong(v);
    }
}
