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
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ops API wired to its stores: built once per execution environment (Lambda) or per local stack. */
public final class OpsApiFunction {
    private OpsApiFunction() {
    }

    /** Lambda: everything from the environment; the URLConnection HTTP client keeps the cold start small. */
    public static OpsApi fromEnvironment() {
        Map<String, String> env = System.getenv();
        OpsApiSettings settings = OpsApiSettings.fromEnvironment();
        DynamoDbClient dynamo = client(DynamoDbClient.builder(), settings).build();
        SqsClient sqs = settings.deadLetterQueueUrl() == null ? null : client(SqsClient.builder(), settings).build();
        DeadLetterDeskSettings deadLetters = DeadLetterDeskSettings.fromEnvironment(env);
        List<RouteFamily> more = new ArrayList<>();
        if (deadLetters.configured()) {
            more.add(deadLetters.routes(dynamo, deadLetters.stream() == null ? null
                    : client(KinesisClient.builder(), settings).build(), () -> client(S3Client.builder(), settings)
                    .build(), Clock.systemUTC()));
        }
        return create(settings, OpsApiStores.fromEnvironment(env), dynamo, sqs, Clock.systemUTC(), more);
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
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        DynamoDbIncidentStore incidentStore = new DynamoDbIncidentStore(enhanced, settings.incidentsTable());
        DynamoDbShipmentStateStore shipmentStore = new DynamoDbShipmentStateStore(enhanced, settings.shipmentsTable());
        IncidentDesk desk = new IncidentDesk(incidentStore,
                new DynamoDbEventLedger(enhanced, settings.eventsTable(), clock), shipmentStore, clock);
        DynamoDbShipmentReadModel shipments = new DynamoDbShipmentReadModel(dynamo, shipmentStore,
                settings.shipmentsTable());
        String exposureTable = settings.exposureTable() != null ? settings.exposureTable() : stores.exposureTable();
        DynamoDbEvidenceStore evidence = exposureTable == null ? null : new DynamoDbEvidenceStore(enhanced,
                exposureTable);
        ShipmentDetailRoutes shipmentDetail = new ShipmentDetailRoutes(shipments,
                new DynamoDbShipmentEventReadModel(dynamo, settings.eventsTable()),
                evidence == null ? null : evidence::exposure, settings.productClasses());
        List<RouteFamily> families = new ArrayList<>(OpsApi.coreFamilies(shipments, shipmentDetail,
                new DynamoDbIncidentReadModel(dynamo, incidentStore, settings.incidentsTable()), desk,
                sqs == null || settings.deadLetterQueueUrl() == null ? null
                        : new SqsDeadLetterGauge(sqs, settings.deadLetterQueueUrl()),
                settings.version(), clock));
        if (stores.consumerWatermarksTable() != null) {
            DynamoDbConsumerWatermarks watermarks = new DynamoDbConsumerWatermarks(dynamo,
                    stores.consumerWatermarksTable());
            DynamoDbSourceWatermarks sourceMarks = new DynamoDbSourceWatermarks(dynamo, stores.consumerWatermarksTable());
            families.replaceAll(f -> f instanceof HealthRoutes h ? h.withConsumers(watermarks, stores.lagThreshold())
                    .withSources(sourceMarks, HealthRoutes.DEFAULT_SOURCE_STALE_AFTER) : f);
        }
        if (stores.kpiAggregatesTable() != null) {
            families.add(new KpiRoutes(new DynamoDbKpiReadModel(dynamo, stores.kpiAggregatesTable())));
        }
        if (stores.deviceRegistryTable() != null) {
            families.add(new DeviceRoutes(new DynamoDbDeviceReadModel(dynamo, stores.deviceRegistryTable(), evidence)));
        }
        // further resources: one RouteFamily each
        families.addAll(more);
        return new OpsApi(families);
    }
}
