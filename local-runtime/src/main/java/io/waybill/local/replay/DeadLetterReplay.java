package io.waybill.local.replay;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-drives dead-lettered records into the ingest stream after a fix, through the one ingestion path.
 *
 * <p>Each dead letter's raw payload is first normalised with the current code: a record that would be rejected
 * again stays in the queue (unless {@code all} is set), so a replay before the fix is deployed loses nothing and
 * loops nothing. A record that now passes is put back on the stream with its original partition key, and only then
 * deleted from the queue. The replay is idempotent: the event id is the producer's message id or derived from the
 * content, so a record replayed twice (or replayed after all) is absorbed by the event store.
 */
public final class DeadLetterReplay {
    /** How long a received dead letter stays invisible while this run decides about it. */
    public static final int VISIBILITY_SECONDS = 60;

    private final SqsClient sqs;
    private final KinesisClient kinesis;
    private final RecordNormalizer normalizer;

    public DeadLetterReplay(SqsClient sqs, KinesisClient kinesis, RecordNormalizer normalizer) {
        this.sqs = sqs;
        this.kinesis = kinesis;
        this.normalizer = normalizer;
    }

    /**
     * What a replay did.
     *
     * @param examined    dead letters read
     * @param replayed    put back on the stream and deleted from the queue
     * @param stillFailing left in the queue, by the reason they would be rejected for now
     * @param unreadable  messages that were not Waybill dead letters (left in the queue)
     */
    public record Result(int examined, int replayed, Map<RejectionReason, Integer> stillFailing, int unreadable) {
    }

    /**
     * @param queueUrl the dead-letter queue
     * @param stream   the ingest stream to put records back on
     * @param all      re-drive even records that would be rejected again
     * @param dryRun   decide and report, change nothing (messages become visible again at once)
     */
    public Result replay(String queueUrl, String stream, boolean all, boolean dryRun) {
        Set<String> seen = new HashSet<>();
        List<Message> kept = new ArrayList<>();
        Map<RejectionReason, Integer> stillFailing = new EnumMap<>(RejectionReason.class);
        int examined = 0;
        int replayed = 0;
        int unreadable = 0;
        while (true) {
            List<Message> batch = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(VISIBILITY_SECONDS).build()).messages();
            List<Message> fresh = batch.stream().filter(m -> seen.add(m.messageId())).toList();
            if (fresh.isEmpty()) {
                break;
            }
            for (Message m : fresh) {
                examined++;
                DeadLetter letter;
                try {
                    letter = DeadLetterJson.fromJson(m.body());
                } catch (IllegalArgumentException e) {
                    unreadable++;
                    kept.add(m);
                    continue;
                }
                NormalizationResult now = normalizer.normalize(RawRecord.of(letter.payload(), "dead letter " + m.messageId()));
                if (now instanceof NormalizationResult.Rejected r && !all) {
                    stillFailing.merge(r.reason(), 1, Integer::sum);
                    kept.add(m);
                    continue;
                }
                if (dryRun) {
                    replayed++;
                    kept.add(m);
                    continue;
                }
                String key = letter.origin().partitionKey() != null ? letter.origin().partitionKey() : "replay";
                kinesis.putRecord(PutRecordRequest.builder().streamName(stream).partitionKey(key)
                        .data(SdkBytes.fromByteArray(letter.payload())).build());
                sqs.deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl).receiptHandle(m.receiptHandle()).build());
                replayed++;
            }
        }
        // Kept messages become visible again now, not after the visibility timeout.
        for (Message m : kept) {
            sqs.changeMessageVisibility(ChangeMessageVisibilityRequest.builder().queueUrl(queueUrl)
                    .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
        }
        return new Result(examined, replayed, stillFailing, unreadable);
    }
}
