package io.waybill.worker;

import java.util.Objects;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends on-failure records to an SQS queue, like a Lambda event source mapping's SQS on-failure destination. */
public final class SqsOnFailureDestination implements OnFailureDestination {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOnFailureDestination(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void send(String json) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(json));
    }
}
