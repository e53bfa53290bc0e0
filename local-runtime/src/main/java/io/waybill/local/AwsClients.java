package io.waybill.local;

import java.time.Duration;
import java.util.Objects;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds AWS SDK v2 synchronous clients (Kinesis, DynamoDB, SQS, S3) for an {@link AwsEndpoints}: endpoint override,
 * region and static credentials, all sharing one HTTP client. Closing this object closes the clients and the HTTP
 * client. The S3 client uses path-style addressing ({@code endpoint/bucket/key}): an emulator on a loopback port has
 * no wildcard DNS for virtual-hosted buckets.
 *
 * <p><b>HTTP client.</b> {@link Apache5HttpClient}, the SDK's default sync client in this SDK version, built
 * explicitly (not discovered from the classpath) so that downstream modules that add another HTTP client cannot
 * change it. Chosen over {@code UrlConnectionHttpClient} because {@link #close()} really closes its pooled
 * keep-alive connections: the JDK's HttpURLConnection keeps idle sockets in a JVM-wide cache for ~5 s after its SDK
 * client is closed, and kinesis-mock's graceful shutdown (SIGTERM) waits for open connections to end, so with
 * URL-connection clients every stack stop took the full 5 s kill grace period. The extra dependency (Apache
 * HttpClient 5) is already on the SDK's runtime classpath.
 *
 * <p><b>Kinesis and CBOR.</b> SDK v2's Kinesis client speaks CBOR ({@code application/x-amz-cbor-1.1}) unless the
 * system property {@code aws.cborEnabled=false} (or env {@code AWS_CBOR_DISABLED=true}) is set when the client is
 * built; the SDK offers no per-client switch. kinesis-mock (npm kinesis-local 0.6.2) and LocalStack both speak CBOR
 * (this module's tests run with CBOR on), so nothing is changed by default. If an emulator ever needs JSON, build the
 * client with {@link #kinesisClient(AwsEndpoints, SdkHttpClient, boolean)} and {@code cbor=false}: it sets the
 * property only for the duration of that build, under a lock, and restores the previous value (the setting is read
 * once, when the client's protocol factory is created).
 */
public final class AwsClients implements AutoCloseable {

    /** Connection timeout used for every client built here (loopback: a refused connection must fail fast). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Socket read timeout used for every client built here. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Overall timeout of one API call, retries included. */
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** Connection pool size (one connection per shard worker plus producers and test code). */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    private static final Object CBOR_PROPERTY_LOCK = new Object();
    private static final String CBOR_PROPERTY = "aws.cborEnabled";

    private final AwsEndpoints endpoints;
    private final SdkHttpClient httpClient;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;

    private AwsClients(AwsEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.httpClient = newHttpClient();
        this.kinesis = kinesisClient(endpoints, httpClient, true);
        this.dynamoDb = dynamoDbClient(endpoints, httpClient);
        this.sqs = sqsClient(endpoints, httpClient);
        this.s3 = s3Client(endpoints, httpClient);
    }

    /**
     * Builds the clients for the given endpoints.
     *
     * @param endpoints where the services answer
     * @return clients to close when done
     */
    public static AwsClients create(AwsEndpoints endpoints) {
        return new AwsClients(endpoints);
    }

    /** @return the endpoints these clients talk to */
    public AwsEndpoints endpoints() {
        return endpoints;
    }

    /** @return the Kinesis client (owned by this object) */
    public KinesisClient kinesis() {
        return kinesis;
    }

    /** @return the DynamoDB client (owned by this object) */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** @return the SQS client (owned by this object) */
    public SqsClient sqs() {
        return sqs;
    }

    /** @return the S3 client (owned by this object; path-style addressing) */
    public S3Client s3() {
        return s3;
    }

    /** @return a new Apache 5 HTTP client with this class' timeouts; the caller closes it */
    public static SdkHttpClient newHttpClient() {
        return Apache5HttpClient.builder()
                .connectionTimeout(DEFAULT_CONNECTION_TIMEOUT)
                .socketTimeout(DEFAULT_SOCKET_TIMEOUT)
                .maxConnections(DEFAULT_MAX_CONNECTIONS)
                .build();
    }

    /**
     * Builds a Kinesis client.
     *
     * @param endpoints  endpoints, region and credentials
     * @param httpClient HTTP client to use (not closed by the returned client)
     * @param cbor       {@code true} for the SDK default (CBOR); {@code false} to build a client speaking JSON
     * @return a new client; the caller closes it
     */
    public static KinesisClient kinesisClient(AwsEndpoints endpoints, SdkHttpClient httpClient, boolean cbor) {
        var builder = KinesisClient.builder()
                .endpointOverride(endpoints.kinesis())
                .region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider())
                .httpClient(httpClient)
                .overrideConfiguration(overrides());
        if (cbor) {
            return builder.build();
        }
        synchronized (CBOR_PROPERTY_LOCK) {
            String previous = System.getProperty(CBOR_PROPERTY);
            System.setProperty(CBOR_PROPERTY, "false");
            try {
                return builder.build();
            } finally {
                if (previous == null) {
                    System.clearProperty(CBOR_PROPERTY);
                } else {
                    System.setProperty(CBOR_PROPERTY, previous);
                }
            }
        }
    }

    /**
     * Builds a DynamoDB client.
     *
     * @param endpoints  endpoints, region and credentials
     * @param httpClient HTTP client to use (not closed by the returned client)
     * @return a new client; the caller closes it
     */
    public static DynamoDbClient dynamoDbClient(AwsEndpoints endpoints, SdkHttpClient httpClient) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoints.dynamodb())
                .region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider())
                .httpClient(httpClient)
                .overrideConfiguration(overrides())
                .build();
    }

    /**
     * Builds an SQS client.
     *
     * @param endpoints  endpoints, region and credentials
     * @param httpClient HTTP client to use (not closed by the returned client)
     * @return a new client; the caller closes it
     */
    public static SqsClient sqsClient(AwsEndpoints endpoints, SdkHttpClient httpClient) {
        return SqsClient.builder()
                .endpointOverride(endpoints.sqs())
                .region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider())
                .httpClient(httpClient)
                .overrideConfiguration(overrides())
                .build();
    }

    /**
     * Builds an S3 client for an emulator: path-style addressing, plain (not {@code aws-chunked}) request bodies and
     * checksums only where an operation requires them. Since SDK 2.30 a PutObject carries a CRC32 trailer in an
     * {@code aws-chunked} body by default; s3rver does not decode that encoding and would store the chunk framing as
     * the object's content. Real S3 accepts both forms, so the deployed functions keep the SDK defaults.
     *
     * @param endpoints  endpoints, region and credentials
     * @param httpClient HTTP client to use (not closed by the returned client)
     * @return a new client; the caller closes it
     */
    public static S3Client s3Client(AwsEndpoints endpoints, SdkHttpClient httpClient) {
        return S3Client.builder()
                .endpointOverride(endpoints.s3())
                .region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(httpClient)
                .overrideConfiguration(overrides())
                .build();
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(DEFAULT_API_CALL_TIMEOUT).build();
    }

    /** Closes the clients and the shared HTTP client. */
    @Override
    public void close() {
        kinesis.close();
        dynamoDb.close();
        sqs.close();
        s3.close();
        httpClient.close();
    }
}
