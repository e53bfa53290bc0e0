package io.waybill.opsapi;

import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.aws.ops.DynamoDbSourceWatermarks;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.opsapi.aws.DynamoDbDeviceReadModel;
import io.waybill.opsapi.aws.DynamoDbIncidentReadModel;
import io.waybill.opsapi.aws.DynamoDbKpiReadModel;
import io.waybill.opsapi.aws.DynamoDbOpenIncidentReadModel;
import io.waybill.opsapi.aws.DynamoDbShipmentEventReadModel;
import io.waybill.opsapi.aws.DynamoDbShipmentReadModel;
import io.waybill.opsapi.aws.SqsDeadLetterGauge;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The ops API wired to its stores: built once per execution environment (Lambda) or per local stack. */
public final class OpsApiFunction {
    /**
     * The SageMaker runtime's read timeout on {@code POST /forecasts/{seriesId}}: under API Gateway's 30 s integration
     * limit, so a slow endpoint is a 503 the caller can retry rather than a gateway timeout.
     */
    static final java.time.Duration FORECAST_TIMEOUT = java.time.Duration.ofSeconds(25);

    private OpsApiFunction() {
    }

    /**
     * Lambda: everything from the environment; the URLConnection HTTP client keeps the cold start small, and every
     * client but DynamoDB's is built on the first request that needs it.
     */
    public static OpsApi fromEnvironment() {
        Map<String, String> env = System.getenv();
        OpsApiSettings settings = OpsApiSettings.fromEnvironment();
        DynamoDbClient dynamo = client(DynamoDbClient.builder(), settings).build();
        DeadLetterDeskSettings deadLetters = DeadLetterDeskSettings.fromEnvironment(env);
        List<RouteFamily> more = new ArrayList<>();
        if (deadLetters.configured()) {
            more.add(LazyRouteFamily.of(DeadLetterRoutes.ROOT, () -> deadLetters.routes(dynamo,
                    deadLetters.stream() == null ? null : client(KinesisClient.builder(), settings).build(),
                    () -> client(S3Client.builder(), settings).build(), Clock.systemUTC())));
        }
        ProvenanceSettings provenance = ProvenanceSettings.fromEnvironment(env);
        more.add(LazyRouteFamily.of(ProofRoutes.ROOT, () -> provenance.routes(dynamo, new LazyRouteFamily.Once<>(
                () -> DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build()), settings.eventsTable())));
        ForecastSettings forecast = ForecastSettings.fromEnvironment(env);
        more.add(LazyRouteFamily.of(ForecastRoutes.ROOT, () -> forecast.routes(env, dynamo,
                () -> client(SageMakerRuntimeClient.builder(), settings)
                        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(FORECAST_TIMEOUT)).build(),
                Clock.systemUTC())));
        EpcisSettings epcis = EpcisSettings.fromEnvironment(env);
        more.add(LazyRouteFamily.of(EpcisRoutes.ROOT, () -> epcis.routes(dynamo,
                () -> client(KinesisClient.builder(), settings).build(), Clock.systemUTC())));
        OpsApi api = create(settings, OpsApiStores.fromEnvironment(env), dynamo,
                settings.deadLetterQueueUrl() == null ? null : () -> client(SqsClient.builder(), settings).build(),
                Clock.systemUTC(), more).requiringWriterGroup(OpsApiSettings.writerGroup(env));
        primeForSnapshot(api, env);
        return api;
    }

    /**
     * Lambda's {@code AWS_LAMBDA_INITIALIZATION_TYPE} values whose init runs ahead of any request: SnapStart's (once,
     * before the snapshot every cold start restores) and provisioned concurrency's.
     */
    static final java.util.Set<String> INIT_AHEAD_OF_REQUESTS = java.util.Set.of("snap-start",
            "provisioned-concurrency");

    /**
     * When the init runs ahead of requests every family is built then, so that no request pays for it; on demand each
     * family waits for its first request.
     *
     * @return whether the families were built
     */
    static boolean primeForSnapshot(OpsApi api, Map<String, String> env) {
        if (!INIT_AHEAD_OF_REQUESTS.contains(String.valueOf(env.get("AWS_LAMBDA_INITIALIZATION_TYPE")))) {
            return false;
        }
        api.prime();
        return true;
    }

    private static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B client(B builder,
                                                                                            OpsApiSettings settings) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        }
        if (settings.endpointOverride() != null) {
            builder.endpointOverride(settings.endpointOverride());
        }
        return builder;
    }

    /**
     * Any environment: given clients (the local runtime points them at the emulators); the core routes only.
     *
     * @param sqs the client the dead-letter gauge reads with; null when no queue is configured
     */
    public static OpsApi create(OpsApiSettings settings, DynamoDbClient dynamo, SqsClient sqs, Clock clock) {
        return create(settings, OpsApiStores.none(), dynamo, sqs, clock, List.of());
    }

    /** Any environment, with the optional stores of the operational views; no further route families. */
    public static OpsApi create(OpsApiSettings settings, OpsApiStores stores, DynamoDbClient dynamo, SqsClient sqs,
                                Clock clock) {
        return create(settings, stores, dynamo, sqs, clock, List.of());
    }

    /**
     * Any environment, with the optional stores of the operational views (a view is served when its store is
     * configured) and further route families (the dead letters' when a desk is configured).
     */
    public static OpsApi create(OpsApiSettings settings, OpsApiStores stores, DynamoDbClient dynamo, SqsClient sqs,
                                Clock clock, List<RouteFamily> more) {
        return create(settings, stores, dynamo, sqs == null ? null : () -> sqs, clock, more);
    }

    /**
     * The wiring: each family is built on its first request ({@link LazyRouteFamily}), sharing the stores it needs
     * with the others ({@link LazyRouteFamily.Once}).
     *
     * @param sqs builds the client the dead-letter gauge reads with; null when no queue is configured
     */
    static OpsApi create(OpsApiSettings settings, OpsApiStores stores, DynamoDbClient dynamo, Supplier<SqsClient> sqs,
                         Clock clock, List<RouteFamily> more) {
        Supplier<DynamoDbEnhancedClient> enhanced = new LazyRouteFamily.Once<>(
                () -> DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build());
        Supplier<DynamoDbShipmentStateStore> shipmentStore = new LazyRouteFamily.Once<>(
                () -> new DynamoDbShipmentStateStore(enhanced.get(), settings.shipmentsTable()));
        Supplier<DynamoDbIncidentStore> incidentStore = new LazyRouteFamily.Once<>(
                () -> new DynamoDbIncidentStore(enhanced.get(), settings.incidentsTable()));
        String exposureTable = settings.exposureTable() != null ? settings.exposureTable() : stores.exposureTable();
        Supplier<DynamoDbEvidenceStore> evidence = exposureTable == null ? () -> null : new LazyRouteFamily.Once<>(
                () -> new DynamoDbEvidenceStore(enhanced.get(), exposureTable));

        List<RouteFamily> families = new ArrayList<>();
        families.add(LazyRouteFamily.of(ShipmentRoutes.ROOT, () -> {
            DynamoDbShipmentReadModel shipments = new DynamoDbShipmentReadModel(dynamo, shipmentStore.get(),
                    settings.shipmentsTable());
            DynamoDbEvidenceStore exposure = evidence.get();
            return new ShipmentRoutes(shipments, new ShipmentDetailRoutes(shipments,
                    new DynamoDbShipmentEventReadModel(dynamo, settings.eventsTable()),
                    exposure == null ? null : exposure::exposure, settings.productClasses()))
                    .withOpenIncidents(new DynamoDbOpenIncidentReadModel(dynamo, settings.incidentsTable()));
        }));
        families.add(LazyRouteFamily.of(IncidentRoutes.ROOT, () -> new IncidentRoutes(
                new DynamoDbIncidentReadModel(dynamo, incidentStore.get(), settings.incidentsTable()),
                new IncidentDesk(incidentStore.get(), new DynamoDbEventLedger(enhanced.get(), settings.eventsTable(),
                        clock), shipmentStore.get(), clock), clock)));
        families.add(LazyRouteFamily.of(HealthRoutes.ROOT, () -> {
            HealthRoutes health = new HealthRoutes(sqs == null || settings.deadLetterQueueUrl() == null ? null
                    : new SqsDeadLetterGauge(sqs.get(), settings.deadLetterQueueUrl()), settings.version(), clock);
            return stores.consumerWatermarksTable() == null ? health : health.withConsumers(
                    new DynamoDbConsumerWatermarks(dynamo, stores.consumerWatermarksTable()), stores.lagThreshold())
                    .withSources(new DynamoDbSourceWatermarks(dynamo, stores.consumerWatermarksTable()),
                            HealthRoutes.DEFAULT_SOURCE_STALE_AFTER);
        }));
        families.add(LazyRouteFamily.anonymous(DashboardRoutes.ROOT, DashboardRoutes::new));
        if (stores.kpiAggregatesTable() != null) {
            families.add(LazyRouteFamily.of(KpiRoutes.ROOT,
                    () -> new KpiRoutes(new DynamoDbKpiReadModel(dynamo, stores.kpiAggregatesTable()))));
        }
        if (stores.deviceRegistryTable() != null) {
            families.add(LazyRouteFamily.of(DeviceRoutes.ROOT, () -> new DeviceRoutes(
                    new DynamoDbDeviceReadModel(dynamo, stores.deviceRegistryTable(), evidence.get()))));
        }
        // further resources: one RouteFamily each
        families.addAll(more);
        return new OpsApi(families);
    }
}
