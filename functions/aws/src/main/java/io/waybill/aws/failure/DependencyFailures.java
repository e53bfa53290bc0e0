package io.waybill.aws.failure;

import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an AWS SDK failure into the domain's {@link TransientDependencyException} (retry the batch from this record:
 * the record is fine, the dependency is not, for now) or {@link PermanentDependencyException} (dead-letter this
 * record with the reason; retrying the same request can never succeed).
 *
 * <p>The decision, in this order:
 * <ol>
 *   <li>Not a service answer ({@code SdkClientException}, {@code ApiCallTimeoutException},
 *       {@code ApiCallAttemptTimeoutException}, an I/O error, a connection refused): <b>transient</b>.</li>
 *   <li>The service's error code is in the table below (matched without case, with any {@code KMS.} prefix
 *       removed, as SQS and S3 prefix errors of the KMS key they use): that verdict.</li>
 *   <li>The SDK recognises throttling ({@link AwsServiceException#isThrottlingException()}: its throttling codes or
 *       HTTP 429) or clock skew ({@link AwsServiceException#isClockSkewException()}): <b>transient</b>.</li>
 *   <li>HTTP 408 or any 5xx: <b>transient</b>. Any other 4xx: <b>permanent</b> (a client error the same request
 *       repeats; the record goes to the dead-letter queue with the code, from where it can be replayed).</li>
 *   <li>Anything else (no status): <b>transient</b>.</li>
 * </ol>
 *
 * <table>
 *   <caption>Error codes by service (AWS API references; KMS errors as each service reports them)</caption>
 *   <tr><th>Service</th><th>Transient</th><th>Permanent for that record</th></tr>
 *   <tr><td>DynamoDB</td>
 *       <td>ProvisionedThroughputExceededException, RequestLimitExceeded, ThrottlingException,
 *           TransactionConflictException, LimitExceededException, InternalServerError</td>
 *       <td>ValidationException (a key over 2048 bytes, an item over 400 KB), ResourceNotFoundException,
 *           ItemCollectionSizeLimitExceededException, AccessDeniedException</td></tr>
 *   <tr><td>SQS</td>
 *       <td>RequestThrottled, KMS.ThrottlingException / KmsThrottled, InternalError, ServiceUnavailable</td>
 *       <td>InvalidMessageContents, InvalidParameterValue (a message over the queue's maximum size; ElasticMQ
 *           answers InvalidAttributeValue), MessageTooLong, QueueDoesNotExist / AWS.SimpleQueueService.NonExistentQueue, AccessDenied,
 *           KMS.AccessDeniedException / KmsAccessDenied, KMS.DisabledException / KmsDisabled,
 *           KMS.InvalidStateException / KmsInvalidState, KMS.NotFoundException / KmsNotFound,
 *           KMS.InvalidKeyUsageException / KmsInvalidKeyUsage, KMS.OptInRequired / KmsOptInRequired</td></tr>
 *   <tr><td>S3</td>
 *       <td>SlowDown, RequestTimeout, InternalError, ServiceUnavailable, KMS.ThrottlingException</td>
 *       <td>NoSuchBucket, NoSuchKey, AccessDenied, AllAccessDisabled, InvalidArgument, InvalidRequest,
 *           EntityTooLarge, KeyTooLongError, KMS.DisabledException, KMS.KMSInvalidStateException,
 *           KMS.NotFoundException</td></tr>
 *   <tr><td>Kinesis</td>
 *       <td>ProvisionedThroughputExceededException, LimitExceededException, KMSThrottlingException,
 *           InternalFailure</td>
 *       <td>ResourceNotFoundException, InvalidArgumentException, ValidationException, AccessDeniedException,
 *           KMSAccessDeniedException, KMSDisabledException, KMSInvalidStateException, KMSNotFoundException,
 *           KMSOptInRequired</td></tr>
 *   <tr><td>Every service</td>
 *       <td>ExpiredToken, ExpiredTokenException, RequestExpired (the credentials refresh; the clock resyncs),
 *           RequestTimeout, RequestTimeoutException, ThrottlingException, Throttling</td>
 *       <td>AccessDeniedException, UnrecognizedClientException, InvalidClientTokenId (403: a role or key the
 *           function may not use)</td></tr>
 * </table>
 *
 * <p>Tested with hand-built {@link AwsServiceException}s for every row ({@code DependencyFailuresTest}) and on the
 * emulators where they really produce the error ({@code DependencyFailuresOnEmulatorsTest} in local-runtime:
 * dynalite's over-long key, ElasticMQ's oversized message and missing queue, s3rver's missing bucket,
 * kinesis-mock's missing stream).
 */
public final class DependencyFailures {

    /** What a failure means for the record that met it. */
    public enum Verdict {
        /** The dependency may recover: retry the batch from this record. */
        TRANSIENT,
        /** The same request can never succeed: dead-letter this record with the error code. */
        PERMANENT
    }

    private static final Map<String, Verdict> BY_CODE = table(
            List.of(
                    // throttling, beyond the SDK's own list (KMS behind a service; SQS's names for it)
                    "ProvisionedThroughputExceededException", "RequestLimitExceeded", "ThrottlingException",
                    "Throttling", "RequestThrottled", "SlowDown", "KMSThrottlingException", "KmsThrottled",
                    // optimistic concurrency and account-level rate limits: they clear
                    "TransactionConflictException", "LimitExceededException",
                    // timeouts and server faults reported with a 4xx or 5xx code
                    "RequestTimeout", "RequestTimeoutException", "InternalServerError", "InternalError",
                    "InternalFailure", "ServiceUnavailable", "KMSInternalException",
                    // credentials that expire refresh; a request that expired in flight is sent again
                    "ExpiredToken", "ExpiredTokenException", "RequestExpired", "RequestTimeTooSkewed"),
            List.of(
                    // validation and size
                    "ValidationException", "InvalidParameterValue", "InvalidParameterValueException",
                    "InvalidParameterCombination", "InvalidAttributeValue", "InvalidMessageContents", "MessageTooLong",
                    "InvalidArgumentException", "InvalidArgument", "InvalidRequest", "EntityTooLarge",
                    "KeyTooLongError", "ItemCollectionSizeLimitExceededException",
                    // not found
                    "ResourceNotFoundException", "NoSuchBucket", "NoSuchKey", "QueueDoesNotExist",
                    "AWS.SimpleQueueService.NonExistentQueue", "NotFoundException", "KMSNotFoundException",
                    "KmsNotFound",
                    // access, and KMS keys that cannot be used
                    "AccessDenied", "AccessDeniedException", "AllAccessDisabled", "UnrecognizedClientException",
                    "InvalidClientTokenId", "KMSAccessDeniedException", "KmsAccessDenied", "DisabledException",
                    "KMSDisabledException", "KmsDisabled", "InvalidStateException", "KMSInvalidStateException",
                    "KmsInvalidState", "InvalidKeyUsageException", "KMSInvalidKeyUsageException",
                    "KmsInvalidKeyUsage", "OptInRequired", "KMSOptInRequired"));

    private DependencyFailures() {
    }

    /**
     * @param dependency what failed, for the message (e.g. {@code event store waybill-dev-events})
     * @param e          the SDK's exception
     * @return the domain exception to throw: {@link TransientDependencyException} or
     *         {@link PermanentDependencyException} (with the service's error code)
     */
    public static RuntimeException classify(String dependency, SdkException e) {
        if (verdict(e) == Verdict.PERMANENT) {
            return new PermanentDependencyException(dependency, errorCode(e), e.getMessage(), e);
        }
        return new TransientDependencyException(dependency, e.getMessage(), e);
    }

    /**
     * @param e the SDK's exception
     * @return what it means for the record that met it (see the class comment for the order of the rules)
     */
    public static Verdict verdict(SdkException e) {
        if (!(e instanceof AwsServiceException s)) {
            return Verdict.TRANSIENT;
        }
        String code = errorCode(s);
        if (code != null) {
            Verdict listed = BY_CODE.get(normalise(code));
            if (listed != null) {
                return listed;
            }
        }
        if (s.isThrottlingException() || s.isClockSkewException()) {
            return Verdict.TRANSIENT;
        }
        int status = s.statusCode();
        if (status == 408 || status >= 500) {
            return Verdict.TRANSIENT;
        }
        return status >= 400 ? Verdict.PERMANENT : Verdict.TRANSIENT;
    }

    /** @return the service's error code, or null when there is none (not a service answer) */
    public static String errorCode(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() : null;
    }

    private static String normalise(String code) {
        String c = code.trim();
        if (c.regionMatches(true, 0, "KMS.", 0, 4)) {
            c = c.substring(4);
        }
        return c.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Verdict> table(List<String> transientCodes, List<String> permanentCodes) {
        Map<String, Verdict> m = new HashMap<>();
        for (String c : transientCodes) {
            if (m.put(normalise(c), Verdict.TRANSIENT) != null) {
                throw new IllegalStateException(c + " is listed twice (codes match without case)");
            }
        }
        for (String c : permanentCodes) {
            if (m.put(normalise(c), Verdict.PERMANENT) != null) {
                throw new IllegalStateException(c + " is listed twice (codes match without case)");
            }
        }
        return Map.copyOf(m);
    }
}
