package io.waybill.aws.failure;

import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.UncheckedIOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the classification table, with the status code each service really sends it with (AWS API
 * references). The expected verdicts are written out here, from the rules: throttling, 5xx, timeouts,
 * expired credentials and conflicts pass; validation, size, not-found and access refusals do not.
 */
class DependencyFailuresTest {

    @ParameterizedTest(name = "{0} {1} ({2}) is {3}")
    @CsvSource({
            // DynamoDB
            "DynamoDB, ProvisionedThroughputExceededException, 400, TRANSIENT",
            "DynamoDB, RequestLimitExceeded,                  400, TRANSIENT",
            "DynamoDB, ThrottlingException,                   400, TRANSIENT",
            "DynamoDB, TransactionConflictException,          400, TRANSIENT",
            "DynamoDB, LimitExceededException,                400, TRANSIENT",
            "DynamoDB, InternalServerError,                   500, TRANSIENT",
            "DynamoDB, ValidationException,                   400, PERMANENT",
            "DynamoDB, ResourceNotFoundException,             400, PERMANENT",
            "DynamoDB, ItemCollectionSizeLimitExceededException, 400, PERMANENT",
            "DynamoDB, AccessDeniedException,                 400, PERMANENT",
            "DynamoDB, KMSAccessDeniedException,              400, PERMANENT",
            "DynamoDB, UnrecognizedClientException,           400, PERMANENT",
            "DynamoDB, ExpiredTokenException,                 400, TRANSIENT",
            // SQS (JSON protocol codes and the query-compatible ones)
            "SQS, RequestThrottled,                           400, TRANSIENT",
            "SQS, KmsThrottled,                               400, TRANSIENT",
            "SQS, KMS.ThrottlingException,                    400, TRANSIENT",
            "SQS, InternalError,                              500, TRANSIENT",
            "SQS, ServiceUnavailable,                         503, TRANSIENT",
            "SQS, InvalidMessageContents,                     400, PERMANENT",
            "SQS, InvalidParameterValue,                      400, PERMANENT",
            "SQS, MessageTooLong,                             400, PERMANENT",
            "SQS, InvalidAttributeValue,                      400, PERMANENT",
            "SQS, QueueDoesNotExist,                          400, PERMANENT",
            "SQS, AWS.SimpleQueueService.NonExistentQueue,    400, PERMANENT",
            "SQS, AccessDenied,                               403, PERMANENT",
            "SQS, KmsAccessDenied,                            400, PERMANENT",
            "SQS, KMS.AccessDeniedException,                  400, PERMANENT",
            "SQS, KmsDisabled,                                400, PERMANENT",
            "SQS, KMS.DisabledException,                      400, PERMANENT",
            "SQS, KmsInvalidState,                            400, PERMANENT",
            "SQS, KmsNotFound,                                400, PERMANENT",
            "SQS, KmsInvalidKeyUsage,                         400, PERMANENT",
            "SQS, KmsOptInRequired,                           403, PERMANENT",
            // S3
            "S3, SlowDown,                                    503, TRANSIENT",
            "S3, RequestTimeout,                              400, TRANSIENT",
            "S3, InternalError,                               500, TRANSIENT",
            "S3, KMS.ThrottlingException,                     400, TRANSIENT",
            "S3, NoSuchBucket,                                404, PERMANENT",
            "S3, NoSuchKey,                                   404, PERMANENT",
            "S3, AccessDenied,                                403, PERMANENT",
            "S3, AllAccessDisabled,                           403, PERMANENT",
            "S3, InvalidArgument,                             400, PERMANENT",
            "S3, EntityTooLarge,                              400, PERMANENT",
            "S3, KeyTooLongError,                             400, PERMANENT",
            "S3, KMS.DisabledException,                       400, PERMANENT",
            "S3, KMS.KMSInvalidStateException,                400, PERMANENT",
            "S3, KMS.NotFoundException,                       400, PERMANENT",
            // Kinesis
            "Kinesis, ProvisionedThroughputExceededException, 400, TRANSIENT",
            "Kinesis, LimitExceededException,                 400, TRANSIENT",
            "Kinesis, KMSThrottlingException,                 400, TRANSIENT",
            "Kinesis, InternalFailure,                        500, TRANSIENT",
            "Kinesis, ResourceNotFoundException,              400, PERMANENT",
            "Kinesis, InvalidArgumentException,               400, PERMANENT",
            "Kinesis, AccessDeniedException,                  400, PERMANENT",
            "Kinesis, KMSAccessDeniedException,               400, PERMANENT",
            "Kinesis, KMSDisabledException,                   400, PERMANENT",
            "Kinesis, KMSInvalidStateException,               400, PERMANENT",
            "Kinesis, KMSNotFoundException,                   400, PERMANENT",
            "Kinesis, KMSOptInRequired,                       400, PERMANENT",
            // every service
            "STS, ExpiredToken,                               400, TRANSIENT",
            "SQS, RequestExpired,                             400, TRANSIENT",
            "SQS, RequestTimeTooSkewed,                       403, TRANSIENT",
            "SQS, InvalidClientTokenId,                       403, PERMANENT",
            // codes in no table: the SDK's throttling and clock-skew knowledge, then the status
            "DynamoDB, TooManyRequestsException,              400, TRANSIENT",
            "SQS, RequestInTheFuture,                         403, TRANSIENT",
            "S3, SomeFutureError,                             429, TRANSIENT",
            "S3, SomeFutureError,                             408, TRANSIENT",
            "S3, SomeFutureError,                             502, TRANSIENT",
            "S3, SomeFutureError,                             409, PERMANENT",
    })
    void serviceErrorsAreClassifiedByTheTable(String service, String code, int status,
                                              DependencyFailures.Verdict expected) {
        assertThat(DependencyFailures.verdict(serviceError(service, code, status))).isEqualTo(expected);
    }

    @Test
    void errorsThatNeverReachedTheServiceAreTransient() {
        assertThat(DependencyFailures.verdict(SdkClientException.create("Unable to execute HTTP request",
                new UncheckedIOException(new ConnectException("Connection refused")))))
                .isEqualTo(DependencyFailures.Verdict.TRANSIENT);
        assertThat(DependencyFailures.verdict(ApiCallTimeoutException.create(60_000)))
                .isEqualTo(DependencyFailures.Verdict.TRANSIENT);
        assertThat(DependencyFailures.verdict(ApiCallAttemptTimeoutException.create(5_000)))
                .isEqualTo(DependencyFailures.Verdict.TRANSIENT);
    }

    @Test
    void aPermanentFailureCarriesTheDependencyAndTheServiceErrorCode() {
        RuntimeException e = DependencyFailures.classify("event store waybill-dev-events",
                serviceError("DynamoDB", "ValidationException", 400));

        assertThat(e).isInstanceOfSatisfying(PermanentDependencyException.class, p -> {
            assertThat(p.dependency()).isEqualTo("event store waybill-dev-events");
            assertThat(p.errorCode()).isEqualTo("ValidationException");
        });
    }

    @Test
    void aTransientFailureCarriesTheDependency() {
        RuntimeException e = DependencyFailures.classify("dead-letter queue",
                serviceError("SQS", "KmsThrottled", 400));

        assertThat(e).isInstanceOfSatisfying(TransientDependencyException.class,
                t -> assertThat(t.dependency()).isEqualTo("dead-letter queue"));
    }

    private static AwsServiceException serviceError(String service, String code, int status) {
        return AwsServiceException.builder()
                .message(code + " from " + service)
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode(code)
                        .errorMessage(code + " from " + service).build())
                .build();
    }
}
