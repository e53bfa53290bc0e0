package io.waybill.aws.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.RecordOrigin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The dead letters' claim check: a letter too large for its queue keeps its raw payload, byte for byte, in an S3
 * object, and its queue message carries a pointer instead of the payload. The pointer is the letter's own
 * {@link DeadLetterJson} body without {@code payloadBase64}, plus
 * {@code "claimCheck":{"bucket","key","bytes","sha256"}}; reason, detail, adapter, origin, times and an id conflict's
 * two versions stay in the message.
 *
 * <p><b>Key.</b> {@code dead-letters/<reason>/<yyyy-MM-dd>/<shardId>/<sequenceNumber>} with the date of the record's
 * arrival on the stream: everything in it is fixed by the record, so a redelivered batch writes the same object
 * again, with the same bytes (idempotent; S3 PutObject replaces it). A record without a stream position is keyed by
 * its payload's SHA-256 instead. Encryption is the bucket's default (SSE-KMS in CDK), so no header is sent.
 *
 * <p>{@link #decode(String)} reads any dead-letter body back into the letter, fetching a claim-checked payload from
 * this store's bucket only, and refusing it when its length or SHA-256 differs from the pointer's: a claim-checked letter replays exactly like an
 * inline one.
 */
public final class S3ClaimCheckStore {
    /** Prefix of every claim-check object. */
    public static final String PREFIX = "dead-letters/";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._=-]");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final Supplier<S3Client> s3;
    private final String bucket;
    private final String dependency;
    private volatile S3Client client;

    public S3ClaimCheckStore(S3Client s3, String bucket) {
        this(() -> s3, bucket);
        Objects.requireNonNull(s3, "s3");
    }

    /**
     * @param s3 makes the S3 client on the first claim check, once: oversized letters are rare, so a Lambda cold
     *           start does not pay for a client it seldom needs
     */
    public S3ClaimCheckStore(Supplier<S3Client> s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.dependency = "claim-check bucket " + bucket;
    }

    private S3Client s3() {
        S3Client c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = Objects.requireNonNull(s3.get(), "s3");
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * Writes the letter's payload to its object.
     *
     * @return the pointer to it
     * @throws io.waybill.domain.ingestion.TransientDependencyException  S3 may take it later
     * @throws io.waybill.domain.ingestion.PermanentDependencyException S3 refused it for good (a missing bucket,
     *                                                                   access); the caller must not lose the letter
     */
    public ClaimCheck put(DeadLetter letter) {
        byte[] payload = letter.payload();
        String sha256 = sha256(payload);
        String key = keyOf(letter, sha256);
        try {
            s3().putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream")
                            .metadata(Map.of("reason", letter.reason().name(), "sha256", sha256)),
                    RequestBody.fromBytes(payload));
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
        return new ClaimCheck(bucket, key, payload.length, sha256);
    }

    /** The object key of a letter (see the class comment). */
    static String keyOf(DeadLetter letter, String payloadSha256) {
        Instant day = letter.arrivedAt() != null ? letter.arrivedAt() : letter.deadLetteredAt();
        RecordOrigin o = letter.origin();
        String position = o != null && o.shardId() != null && o.sequenceNumber() != null
                ? safe(o.shardId()) + "/" + safe(o.sequenceNumber())
                : "sha256-" + payloadSha256;
        return PREFIX + letter.reason().name() + "/" + DAY.format(day) + "/" + position;
    }

    /** The queue message of a claim-checked letter: its body without the payload, with the pointer. */
    public static String pointerJson(DeadLetter letter, ClaimCheck check) {
        ObjectNode n = (ObjectNode) readTree(DeadLetterJson.toJson(letter));
        n.remove("payloadBase64");
        ObjectNode c = n.putObject("claimCheck");
        c.put("bucket", check.bucket());
        c.put("key", check.key());
        c.put("bytes", check.bytes());
        c.put("sha256", check.sha256());
        return n.toString();
    }

    /**
     * Reads a dead-letter body, inline or claim-checked.
     *
     * @throws IllegalArgumentException when the body is no dead letter, or the fetched object is not the payload the
     *                                  pointer names (length or SHA-256 differ)
     */
    public DeadLetter decode(String body) {
        JsonNode n = readTree(body);
        JsonNode c = n.path("claimCheck");
        if (c.isMissingNode()) {
            return DeadLetterJson.fromJson(body);
        }
        String from = c.path("bucket").asText();
        String key = c.path("key").asText();
        if (!bucket.equals(from)) {
            throw new IllegalArgumentException("claim check names bucket " + from + ", not " + bucket);
        }
        byte[] payload = fetch(new ClaimCheck(from, key, c.path("bytes").asLong(), c.path("sha256").asText()));
        ObjectNode inline = ((ObjectNode) n).deepCopy();
        inline.remove("claimCheck");
        inline.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
        return DeadLetterJson.fromJson(inline.toString());
    }

    /**
     * The payload a claim check points at.
     *
     * @throws IllegalArgumentException when it is unreadable, in another bucket, or not the payload the pointer names
     */
    public byte[] fetch(ClaimCheck check) {
        String from = check.bucket();
        String key = check.key();
        if (!bucket.equals(from)) {
            throw new IllegalArgumentException("claim check names bucket " + from + ", not " + bucket);
        }
        byte[] payload;
        try {
            payload = s3().getObjectAsBytes(b -> b.bucket(from).key(key)).asByteArray();
        } catch (SdkException e) {
            throw new IllegalArgumentException("claim check s3://" + from + "/" + key + " unreadable: "
                    + e.getMessage(), e);
        }
        if (payload.length != check.bytes() || !sha256(payload).equals(check.sha256())) {
            throw new IllegalArgumentException("claim check s3://" + from + "/" + key + " holds " + payload.length
                    + " bytes with another SHA-256 than the letter names");
        }
        return payload;
    }

    private static String safe(String s) {
        return UNSAFE.matcher(s).replaceAll("_");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return CanonicalEventJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a dead-letter message: " + e.getOriginalMessage(), e);
        }
    }
}
