package io.waybill.opsapi;

import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.opsapi.aws.DynamoDbIncidentReadModel;
import io.waybill.opsapi.aws.DynamoDbDeviceReadModel;
import io.waybill.opsapi.aws.DynamoDbKpiReadModel;
import io.waybill.opsapi.aws.DynamoDbShipmentReadModel;
import io.waybill.opsapi.aws.SqsDeadLetterGauge;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The ops API wired to its stores: built once per execution environment (Lambda) or per local stack. */
public final class OpsApiFunction {
    private OpsApiFunction() {
    }

    /** Lambda: everything from the environment; the URLConnection HTTP client keeps the cold start small. */
    public static OpsApi fromEnvironment() {
        OpsApiSettings settings = OpsApiSettings.fromEnvironment();
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.region() != null) {
            dynamo.region(Region.of(settings.region()));
        }
        if (settings.endpointOverride() != null) {
            dynamo.endpointOverride(settings.endpointOverride());
        }
        SqsClient sqs = null;
        if (settings.deadLetterQueueUrl() != null) {
            SqsClientBuilder b = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
            if (settings.region() != null) {
                b.region(Region.of(settings.region()));
            }
            if (settings.endpointOverride() != null) {
                b.endpointOverride(settings.endpointOverride());
            }
            sqs = b.build();
        }
        return create(settings, OpsApiStores.fromEnvironment(System.getenv()), dynamo.build(), sqs,
                Clock.systemUTC());
    }

    /**
     * Any environment: given clients (the local runtime points them at the emulators).
     *
     * @param sqs the client the dead-letter gauge reads with; null when no queue is configured
     */
    public static OpsApi create(OpsApiSettings settings, DynamoDbClient dynamo, SqsClient sqs, Clock clock) {
        return create(settings, OpsApiStores.none(), dynamo, sqs, clock);
    }

    /**
     * Any environment, with the optional stores of the operational views: a view is served when its store is
     * configured.
     */
    public static OpsApi create(OpsApiSettings settings, OpsApiStores stores, DynamoDbClient dynamo, SqsClient sqs,
                                Clock clock) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        DynamoDbIncidentStore incidentStore = new DynamoDbIncidentStore(enhanced, settings.incidentsTable());
        DynamoDbShipmentStateStore shipmentStore = new DynamoDbShipmentStateStore(enhanced, settings.shipmentsTable());
        IncidentDesk desk = new IncidentDesk(incidentStore,
                new DynamoDbEventLedger(enhanced, settings.eventsTable(), clock), shipmentStore, clock);
        List<RouteFamily> families = new ArrayList<>(OpsApi.coreFamilies(
                new DynamoDbShipmentReadModel(dynamo, shipmentStore, settings.shipmentsTable()),
                new DynamoDbIncidentReadModel(dynamo, incidentStore, settings.incidentsTable()), desk,
                sqs == null || settings.deadLetterQueueUrl() == null ? null
                        : new SqsDeadLetterGauge(sqs, settings.deadLetterQueueUrl()),
                settings.version(), clock));
        // further resources: one RouteFamily each, added here
        if (stores.consumerWatermarksTable() != null) {
            DynamoDbConsumerWatermarks watermarks = new DynamoDbConsumerWatermarks(dynamo,
                    stores.consumerWatermarksTable());
            families.replaceAll(f -> f instanceof HealthRoutes h ? h.withConsumers(watermarks, stores.lagThreshold())
                    : f);
        }
        if (stores.kpiAggregatesTable() != null) {
            families.add(new KpiRoutes(new DynamoDbKpiReadModel(dynamo, stores.kpiAggregatesTable())));
        }
        if (stores.deviceRegistryTable() != null) {
            families.add(new DeviceRoutes(new DynamoDbDeviceReadModel(dynamo, stores.deviceRegistryTable(),
                    stores.exposureTable() == null ? null
                            : new io.waybill.aws.coldchain.DynamoDbEvidenceStore(enhanced, stores.exposureTable()))));
        }
        return new OpsApi(families);
    }
}
