package io.waybill.opsapi;

import io.waybill.aws.epcis.DynamoDbEpcisRepository;
import io.waybill.aws.epcis.EpcisTables;
import io.waybill.opsapi.aws.KinesisStreamRedrive;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The EPCIS routes' configuration (one optional block, as {@link ForecastSettings}): without an EPCIS table the stage
 * serves no EPCIS and every {@code /epcis} route answers 501 (GS1's "not supported by server"). With a table the
 * ingest stream must be set too: a captured event always enters the ingestion path (a half-configured capture is a
 * start failure, not events that never reach the pipeline).
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value EpcisTables#ENV_TABLE}</td><td>the EPCIS table ({@link EpcisTables}); default none: EPCIS
 *     off</td></tr>
 * <tr><td>{@value DeadLetterDeskSettings#ENV_INGEST_STREAM_NAME}</td><td>the ingest stream captured events are
 *     put on (the same the dead-letter replays use)</td></tr>
 * </table>
 *
 * @param table  the EPCIS table, or null: off
 * @param stream the ingest stream, or null when off
 */
public record EpcisSettings(String table, String stream) {
    public EpcisSettings {
        table = blankToNull(table);
        stream = blankToNull(stream);
        if (table != null && stream == null) {
            throw new IllegalStateException(EpcisTables.ENV_TABLE + " is set, so "
                    + DeadLetterDeskSettings.ENV_INGEST_STREAM_NAME + " must be set too");
        }
    }

    public static EpcisSettings off() {
        return new EpcisSettings(null, null);
    }

    public static EpcisSettings fromEnvironment(Map<String, String> env) {
        String table = blankToNull(env.get(EpcisTables.ENV_TABLE));
        return table == null ? off() : new EpcisSettings(table, env.get(DeadLetterDeskSettings.ENV_INGEST_STREAM_NAME));
    }

    public boolean configured() {
        return table != null;
    }

    /**
     * The {@code /epcis} routes on the stage's table and stream, or {@link EpcisRoutes#off()}.
     *
     * @param kinesis builds the ingest stream's client (called only when configured)
     */
    public EpcisRoutes routes(DynamoDbClient dynamo, Supplier<KinesisClient> kinesis, Clock clock) {
        if (!configured()) {
            return EpcisRoutes.off();
        }
        return new EpcisRoutes(new DynamoDbEpcisRepository(dynamo, table), new KinesisStreamRedrive(kinesis.get(),
                stream), clock);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
