package io.waybill.opsapi;

import io.waybill.aws.deadletter.DynamoDbDeadLetterDesk;
import io.waybill.aws.deadletter.S3ClaimCheckStore;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.opsapi.aws.DynamoDbDeadLetterReadModel;
import io.waybill.opsapi.aws.KinesisStreamRedrive;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dead-letter routes' configuration (kept beside {@link OpsApiSettings} so that the routes are one optional
 * block): without a desk table there are no {@code /dead-letters} routes.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_TABLE}</td><td>the dead-letter desk table (the ingest function writes it);
 *     default none: no dead-letter routes</td></tr>
 * <tr><td>{@value #ENV_INGEST_STREAM_NAME}</td><td>the ingest (raw telemetry) stream replays put records back on;
 *     default none: only dry runs</td></tr>
 * <tr><td>{@value #ENV_DEAD_LETTER_BUCKET}</td><td>the claim-check bucket of oversized letters' payloads; default
 *     none (a claim-checked letter then cannot be read)</td></tr>
 * </table>
 *
 * @param table  the desk table, or null
 * @param stream the ingest stream, or null
 * @param bucket the claim-check bucket, or null
 */
public record DeadLetterDeskSettings(String table, String stream, String bucket) {
    public static final String ENV_DEAD_LETTER_TABLE = "WAYBILL_DEAD_LETTER_TABLE";
    public static final String ENV_INGEST_STREAM_NAME = "WAYBILL_INGEST_STREAM_NAME";
    public static final String ENV_DEAD_LETTER_BUCKET = "WAYBILL_DEAD_LETTER_BUCKET";

    public DeadLetterDeskSettings {
        table = blankToNull(table);
        stream = blankToNull(stream);
        bucket = blankToNull(bucket);
    }

    public static DeadLetterDeskSettings fromEnvironment(Map<String, String> env) {
        return new DeadLetterDeskSettings(env.get(ENV_DEAD_LETTER_TABLE), env.get(ENV_INGEST_STREAM_NAME),
                env.get(ENV_DEAD_LETTER_BUCKET));
    }

    public boolean configured() {
        return table != null;
    }

    /**
     * The {@code /dead-letters} routes.
     *
     * @param kinesis the ingest stream's client (used only when a stream is configured)
     * @param s3      makes the claim-check bucket's client on the first claim-checked letter read
     */
    public RouteFamily routes(DynamoDbClient dynamo, KinesisClient kinesis, Supplier<S3Client> s3, Clock clock) {
        if (!configured()) {
            throw new IllegalStateException(ENV_DEAD_LETTER_TABLE + " is not set");
        }
        DynamoDbDeadLetterDesk desk = new DynamoDbDeadLetterDesk(dynamo, table,
                bucket == null ? null : new S3ClaimCheckStore(s3, bucket), DynamoDbDeadLetterDesk.DEFAULT_INLINE_LIMIT_BYTES);
        RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(),
                clock);
        return new DeadLetterRoutes(new DynamoDbDeadLetterReadModel(dynamo, table), desk,
                new DeadLetterReplays(desk, normalizer,
                        stream == null || kinesis == null ? null : new KinesisStreamRedrive(kinesis, stream), clock));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
