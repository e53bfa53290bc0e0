package io.waybill.aws.deadletter;

/**
 * Where a dead letter's payload went when the letter was too large for its queue: an S3 object, with its length and
 * SHA-256 so that a reader can tell the object it fetched is the one the letter pointed at.
 *
 * @param bucket the claim-check bucket
 * @param key    the object's key ({@link S3ClaimCheckStore#keyOf})
 * @param bytes  the payload's length
 * @param sha256 the payload's SHA-256, lower-case hex
 */
public record ClaimCheck(String bucket, String key, long bytes, String sha256) {
}
