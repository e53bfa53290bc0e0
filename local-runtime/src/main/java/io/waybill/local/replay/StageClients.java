package io.waybill.local.replay;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients a replay needs against a deployed stage, in a real AWS account: credentials from the SDK's default
 * provider chain (environment, {@code ~/.aws} profiles including SSO and assume-role ones, container and instance
 * roles), optionally for a named profile; the region given, else the chain's (environment, the profile's
 * {@code region}). Nothing here is stored or printed. Closing closes the clients and their HTTP client.
 */
public final class StageClients implements AutoCloseable {
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final KinesisClient kinesis;
    private final SqsClient sqs;
    private final S3Client s3;
    private final CloudFormationClient cloudFormation;
    /** Made on first use: only the devices command needs them. */
    private software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb;
    private software.amazon.awssdk.services.iot.IotClient iot;

    private StageClients(Region region, AwsCredentialsProvider credentials) {
        this.region = region;
        this.credentials = credentials;
        this.http = Apache5HttpClient.builder().build();
        this.kinesis = KinesisClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        this.sqs = SqsClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        this.s3 = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        this.cloudFormation = CloudFormationClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(http).build();
    }

    /**
     * @param profile a profile of {@code ~/.aws/config}, or null for the chain's default
     * @param region  a region id, or null for the chain's
     * @throws software.amazon.awssdk.core.exception.SdkClientException when no region can be found
     */
    public static StageClients open(String profile, String region) {
        Region r = region != null ? Region.of(region)
                : (profile != null ? DefaultAwsRegionProviderChain.builder().profileName(profile).build()
                : new DefaultAwsRegionProviderChain()).getRegion();
        DefaultCredentialsProvider.Builder c = DefaultCredentialsProvider.builder();
        if (profile != null) {
            c.profileName(profile);
        }
        return new StageClients(r, c.build());
    }

    public Region region() {
        return region;
    }

    public KinesisClient kinesis() {
        return kinesis;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /**
     * S3 with the SDK's defaults (virtual-hosted addressing, checksums): the raw archive a backfill reads, and
     * claim-checked dead letters' payloads a replay reads (s3:GetObject, kms:Decrypt on each bucket's key).
     */
    public S3Client s3() {
        return s3;
    }

    public CloudFormationClient cloudFormation() {
        return cloudFormation;
    }

    /** DynamoDB: the device registry the devices command administers. */
    public synchronized software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().region(region)
                    .credentialsProvider(credentials).httpClient(http).build();
        }
        return dynamoDb;
    }

    /** AWS IoT (control plane): a revoked device's certificates are set REVOKED. */
    public synchronized software.amazon.awssdk.services.iot.IotClient iot() {
        if (iot == null) {
            iot = software.amazon.awssdk.services.iot.IotClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(http).build();
        }
        return iot;
    }

    @Override
    public void close() {
        kinesis.close();
        sqs.close();
        s3.close();
        cloudFormation.close();
        synchronized (this) {
            if (dynamoDb != null) {
                dynamoDb.close();
            }
            if (iot != null) {
                iot.close();
            }
        }
        http.close();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing to release that matters at exit
            }
        }
    }
}
