package io.waybill.aws.deadletter;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.PermanentDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sends dead letters to SQS. The body is {@link DeadLetterJson} (raw payload in base64, reason, origin); the reason
 * and adapter are also message attributes so a console or a filter can triage without decoding bodies.
 *
 * <p><b>Claim check.</b> A letter whose message would be larger than {@code inlineLimitBytes}, measured as SQS
 * measures it ({@link #messageBytes}), or that SQS refuses as too large, has its payload written to S3
 * ({@link S3ClaimCheckStore}) and the message carries the pointer instead. Without a claim-check store such a letter
 * is refused ({@link PermanentDependencyException}), which the ingestion turns into a held batch: never a lost record.
 *
 * <p><b>Failures</b> are classified by {@link DependencyFailures}: a throttled or unreachable queue or bucket is
 * transient, a missing one or a refused key permanent.
 */
public final class SqsDeadLetterSink implements DeadLetterSink {
    /** SQS's classic maximum message size (256 KiB), the safe inline limit for any queue. */
    public static final int DEFAULT_INLINE_LIMIT_BYTES = 262_144;
    /** What SQS answers for a message over the queue's maximum (AWS: InvalidParameterValue; ElasticMQ: the other). */
    private static final Set<String> TOO_LARGE = Set.of("InvalidParameterValue", "InvalidAttributeValue",
            "MessageTooLong");
    private static final String DEPENDENCY = "dead-letter queue";

    private final SqsClient sqs;
    private final String queueUrl;
    private final S3ClaimCheckStore claimChecks;
    private final int inlineLimitBytes;

    /**
     * @param claimChecks      where oversized letters' payloads go; null: oversized letters are refused
     * @param inlineLimitBytes the largest message sent whole (at most the queue's {@code MaximumMessageSize})
     */
    public SqsDeadLetterSink(SqsClient sqs, String queueUrl, S3ClaimCheckStore claimChecks, int inlineLimitBytes) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.claimChecks = claimChecks;
        if (inlineLimitBytes < 1024) {
            throw new IllegalArgumentException("inline limit below 1 KiB: " + inlineLimitBytes);
        }
        this.inlineLimitBytes = inlineLimitBytes;
    }

    /** Without a claim check, SQS's classic limit. */
    public SqsDeadLetterSink(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, null, DEFAULT_INLINE_LIMIT_BYTES);
    }

    @Override
    public void send(DeadLetter letter) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("reason", text(letter.reason().name()));
        if (letter.adapter() != null) {
            attributes.put("adapter", text(letter.adapter()));
        }
        String body = DeadLetterJson.toJson(letter);
        if (messageBytes(body, attributes) <= inlineLimitBytes) {
            try {
                sendMessage(body, attributes);
                return;
            } catch (SdkException e) {
                if (!TOO_LARGE.contains(DependencyFailures.errorCode(e))) {
                    throw DependencyFailures.classify(DEPENDENCY, e);
                }
                // the queue's maximum is below the configured limit: claim-check it
            }
        }
        if (claimChecks == null) {
            throw new PermanentDependencyException(DEPENDENCY, "MessageTooLong", "a " + letter.reason()
                    + " letter of " + messageBytes(body, attributes) + " bytes is over the inline limit of "
                    + inlineLimitBytes + " and no claim-check bucket is configured", null);
        }
        ClaimCheck check = claimChecks.put(letter);
        try {
            sendMessage(S3ClaimCheckStore.pointerJson(letter, check), attributes);
        } catch (SdkException e) {
            throw DependencyFailures.classify(DEPENDENCY, e);
        }
    }

    private void sendMessage(String body, Map<String, MessageAttributeValue> attributes) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(attributes));
    }

    /**
     * A message's size as SQS counts it against the queue's maximum: the body's UTF-8 bytes plus, for every message
     * attribute, its name, its data type and its value (UTF-8 string or binary bytes).
     */
    public static long messageBytes(String body, Map<String, MessageAttributeValue> attributes) {
        long n = utf8(body);
        for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
            MessageAttributeValue v = a.getValue();
            n += utf8(a.getKey()) + utf8(v.dataType());
            if (v.stringValue() != null) {
                n += utf8(v.stringValue());
            }
            if (v.binaryValue() != null) {
                n += v.binaryValue().asByteArrayUnsafe().length;
            }
        }
        return n;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
