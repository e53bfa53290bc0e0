package io.waybill.local.api;

import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.opsapi.DeadLetterDeskSettings;
import io.waybill.opsapi.OpsApiFunction;
import io.waybill.opsapi.OpsApiHandler;
import io.waybill.opsapi.OpsApiSettings;
import io.waybill.opsapi.OpsApiStores;
import io.waybill.opsapi.ProofRoutes;
import io.waybill.opsapi.RouteFamily;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The ops API served on the local stack: {@link OpsApiHandler} (the class Lambda runs) wired to the local pipeline's
 * tables and dead-letter queue, behind the {@link OpsApiGateway} on a loopback port, its tokens checked against this
 * stack home's {@link LocalJwtAuthority} and its routes authorized by the contract ({@link OpenApiRouteAuthorization}).
 */
public final class LocalOpsApi {
    /** The port {@code ./waybill stack} serves the API on unless told otherwise. */
    public static final int DEFAULT_PORT = 8787;
    /** Environment variable that overrides {@link #DEFAULT_PORT} (the {@code --api-port} option wins over it). */
    public static final String ENV_PORT = "WAYBILL_API_PORT";
    /** What {@code /health} reports as the version locally. */
    public static final String LOCAL_VERSION = "local";

    private LocalOpsApi() {
    }

    /**
     * The handler with the settings the deployed function gets from its environment, pointing at the pipeline's tables.
     *
     * @throws IllegalStateException when the pipeline was deployed without the cold-chain function (no incidents table)
     */
    public static OpsApiHandler handler(LocalPipeline pipeline) {
        return handler(pipeline, ProofRoutes.off());
    }

    /**
     * The handler with {@code proofs} as its {@code /events} routes (issue 14: the local stack's anchoring is wired
     * in after the chain adapter is merged; until then {@link #handler(LocalPipeline)} answers that anchoring is off).
     */
    public static OpsApiHandler handler(LocalPipeline pipeline, ProofRoutes proofs) {
        if (pipeline.coldChainMapping() == null) {
            throw new IllegalStateException("the ops API needs the cold-chain tables: deploy the pipeline with coldChain");
        }
        OpsApiSettings settings = new OpsApiSettings(pipeline.names().eventsTable(), pipeline.names().shipmentsTable(),
                pipeline.names().incidentsTable(), pipeline.deadLetterQueueUrl(), LOCAL_VERSION,
                pipeline.clients().endpoints().region().id(), pipeline.clients().endpoints().dynamodb(),
                pipeline.names().exposureTable(), null);
        DeadLetterDeskSettings deadLetters = new DeadLetterDeskSettings(pipeline.names().deadLetterTable(),
                pipeline.names().stream(), pipeline.names().deadLetterBucket());
        OpsApiStores stores = new OpsApiStores(pipeline.names().kpiAggregatesTable(),
                pipeline.names().deviceRegistryTable(), pipeline.names().exposureTable(),
                pipeline.names().consumerWatermarksTable(), null);
        return new OpsApiHandler(OpsApiFunction.create(settings, stores, pipeline.clients().dynamoDb(),
                pipeline.clients().sqs(), Clock.systemUTC(), List.<RouteFamily>of(deadLetters.routes(
                        pipeline.clients().dynamoDb(), pipeline.clients().kinesis(), pipeline.clients()::s3,
                        Clock.systemUTC()), proofs, forecastRoutes(pipeline), epcisRoutes(pipeline)))
                .requiringWriterGroup(LocalJwtAuthority.WRITER_GROUP));
    }

    /**
     * The GS1 EPCIS 2.0 routes on the pipeline's EPCIS table (created here, as the stage's stack creates it beside the
     * ops API), putting captured events on the pipeline's ingest stream as the deployed function does.
     */
    static io.waybill.opsapi.EpcisRoutes epcisRoutes(LocalPipeline pipeline) {
        String table = pipeline.names().epcisTable();
        io.waybill.local.stack.StackResources.using(pipeline.clients())
                .createTable(io.waybill.aws.epcis.EpcisTables.definition(table));
        return new io.waybill.opsapi.EpcisSettings(table, pipeline.names().stream())
                .routes(pipeline.clients().dynamoDb(), pipeline.clients()::kinesis, Clock.systemUTC());
    }

    /** The {@code /forecasts} routes on the pipeline's forecasting (the same run its schedule uses), or off. */
    static io.waybill.opsapi.ForecastRoutes forecastRoutes(LocalPipeline pipeline) {
        io.waybill.local.forecast.LocalForecasting forecasting = pipeline.forecasting();
        return forecasting == null ? io.waybill.opsapi.ForecastRoutes.off()
                : new io.waybill.opsapi.ForecastRoutes(forecasting.store(), forecasting.function().run());
    }

    /**
     * Starts serving the pipeline's ops API.
     *
     * @param home the stack home ({@code WAYBILL_HOME}) whose token authority signs and checks the tokens
     * @param port the loopback port, 0 for any free one
     */
    public static OpsApiGateway serve(LocalPipeline pipeline, Path home, int port) throws IOException {
        return serve(pipeline, home, port, ProofRoutes.off());
    }

    /** Starts serving the pipeline's ops API with {@code proofs} as its {@code /events} routes. */
    public static OpsApiGateway serve(LocalPipeline pipeline, Path home, int port, ProofRoutes proofs)
            throws IOException {
        LocalJwtAuthority authority = LocalJwtAuthority.openOrCreate(LocalJwtAuthority.folder(home));
        return OpsApiGateway.start(port, handler(pipeline, proofs),
                new JwtAuthorizer(authority.publicKeys(), JwtAuthorizer.Config.local()),
                OpenApiRouteAuthorization.opsApi());
    }

    /**
     * The port to serve on: the option when given, else {@value #ENV_PORT}, else {@value #DEFAULT_PORT}.
     *
     * @throws IllegalArgumentException for a port outside 0..65535 or an environment value that is no number
     */
    public static int port(Integer option, Map<String, String> env) {
        int port;
        if (option != null) {
            port = option;
        } else {
            String value = env.get(ENV_PORT);
            if (value == null || value.isBlank()) {
                return DEFAULT_PORT;
            }
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ENV_PORT + " must be a port number, was '" + value + "'");
            }
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("the API port must be 0 to 65535, was " + port);
        }
        return port;
    }
}
