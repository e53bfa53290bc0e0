package io.waybill.local.replay;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One pass over every message of a queue: received ten at a time and hidden ({@code visibilitySeconds}) while the
 * caller decides; a message the caller asks to delete is deleted, every other one is made visible again at the end of
 * the pass (visibility 0), so the next replay, or the queue's alarm, sees it at once. A message is handled once per
 * pass even when it comes back (its visibility ran out while the pass was busy). The pass ends when a receive
 * returns nothing: locally at once ({@code waitSeconds} 0, ElasticMQ answers exactly); on AWS with long polling
 * ({@code waitSeconds} ≥ 1), because a short poll samples only some of SQS' servers and can answer empty while
 * messages wait.
 */
final class QueueSweep {
    /** SQS ReceiveMessage: at most 10 messages a call. */
    static final int MAX_MESSAGES_PER_RECEIVE = 10;
    /** Receives in a row that bring only messages already handled before the pass gives up on finding more. */
    static final int MAX_STALE_RECEIVES = 3;

    /** Decides about one received batch. */
    @FunctionalInterface
    interface BatchHandler {
        /** @return the messages of {@code batch} to delete (the others are kept) */
        Set<Message> handle(List<Message> batch);
    }

    private final SqsClient sqs;
    private final int visibilitySeconds;
    private final int waitSeconds;

    QueueSweep(SqsClient sqs, int visibilitySeconds, int waitSeconds) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.visibilitySeconds = visibilitySeconds;
        this.waitSeconds = waitSeconds;
    }

    /** @return the messages handled */
    int sweep(String queueUrl, BatchHandler handler) {
        Set<String> seen = new HashSet<>();
        List<Message> kept = new ArrayList<>();
        int handled = 0;
        int stale = 0;
        try {
            while (stale < MAX_STALE_RECEIVES) {
                List<Message> batch = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                        .maxNumberOfMessages(MAX_MESSAGES_PER_RECEIVE).waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(visibilitySeconds).build()).messages();
                if (batch.isEmpty()) {
                    break;
                }
                List<Message> fresh = new ArrayList<>();
                for (Message m : batch) {
                    (seen.add(m.messageId()) ? fresh : kept).add(m);
                }
                if (fresh.isEmpty()) {
                    stale++;
                    continue;
                }
                stale = 0;
                handled += fresh.size();
                Set<Message> delete = handler.handle(fresh);
                for (Message m : fresh) {
                    if (delete.contains(m)) {
                        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    } else {
                        kept.add(m);
                    }
                }
            }
        } finally {
            for (Message m : kept) {
                try {
                    sqs.changeMessageVisibility(c -> c.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0));
                } catch (SdkException e) {
                    // a stale receipt handle: the message is visible again already, or will be after its timeout
                }
            }
        }
        return handled;
    }
}
