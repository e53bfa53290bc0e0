package io.waybill.local;

import java.net.URI;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where the AWS services of the data path (Kinesis, DynamoDB, SQS, S3) answer, in which region, and with which
 * static credentials to sign requests.
 *
 * <p>Locally the endpoints are the emulators started by {@link io.waybill.local.stack.LocalAwsStack} and the
 * credentials are the dummy pair {@value #LOCAL_ACCESS_KEY_ID}/{@value #LOCAL_SECRET_ACCESS_KEY}: the emulators accept
 * any SigV4 signature but the SDK refuses to send unsigned requests. The same record can point at LocalStack (one
 * edge endpoint for every service). It is not meant for real AWS accounts: never put real keys here.
 *
 * @param region          region the clients sign for; also the region placed in ARNs and Lambda events
 * @param accessKeyId     static access key id (dummy locally)
 * @param secretAccessKey static secret key (dummy locally; never printed by {@link #toString()})
 * @param kinesis         Kinesis endpoint, e.g. {@code http://127.0.0.1:4568}
 * @param dynamodb        DynamoDB endpoint
 * @param sqs             SQS endpoint
 * @param s3              S3 endpoint (path-style addressing: {@code http://127.0.0.1:4569/bucket/key})
 */
public record AwsEndpoints(Region region, String accessKeyId, String secretAccessKey,
                           URI kinesis, URI dynamodb, URI sqs, URI s3) {

    /** Dummy access key id accepted by every local emulator. */
    public static final String LOCAL_ACCESS_KEY_ID = "test";
    /** Dummy secret key accepted by every local emulator. */
    public static final String LOCAL_SECRET_ACCESS_KEY = "test";
    /** Region used locally unless configured otherwise. */
    public static final Region LOCAL_REGION = Region.US_EAST_1;

    /** Validates that every component is present. */
    public AwsEndpoints {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(dynamodb, "dynamodb");
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(s3, "s3");
    }

    /**
     * Endpoints for local emulators with the dummy credentials.
     *
     * @param region   region to sign for
     * @param kinesis  Kinesis endpoint
     * @param dynamodb DynamoDB endpoint
     * @param sqs      SQS endpoint
     * @param s3       S3 endpoint
     * @return the endpoints
     */
    public static AwsEndpoints local(Region region, URI kinesis, URI dynamodb, URI sqs, URI s3) {
        return new AwsEndpoints(region, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY, kinesis, dynamodb, sqs, s3);
    }

    /**
     * One edge endpoint serving every service (LocalStack's model), with the dummy credentials.
     *
     * @param region region to sign for
     * @param edge   the single endpoint, e.g. {@code http://127.0.0.1:4566}
     * @return the endpoints
     */
    public static AwsEndpoints singleEdge(Region region, URI edge) {
        return local(region, edge, edge, edge, edge);
    }

    /** @return a provider returning the static credentials of this record */
    public AwsCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    @Override
    public String toString() {
        return "AwsEndpoints[region=" + region + ", accessKeyId=" + accessKeyId + ", secretAccessKey=***"
                + ", kinesis=" + kinesis + ", dynamodb=" + dynamodb + ", sqs=" + sqs + ", s3=" + s3 + "]";
    }
}
