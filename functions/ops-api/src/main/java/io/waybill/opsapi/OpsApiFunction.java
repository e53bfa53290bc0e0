package io.waybill.opsapi;

import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.opsapi.aws.DynamoDbIncidentReadModel;
import io.waybill.opsapi.aws.DynamoDbShipmentEventReadModel;
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
        return create(settings, dynamo.build(), sqs, Clock.systemUTC());
    }

    /**
     * Any environment: given clients (the local runtime points them at the emulators).
     *
     * @param sqs the client the dead-letter gauge reads with; null when no queue is configured
     */
    public static OpsApi create(OpsApiSettings settings, DynamoDbClient dynamo, SqsClient sqs, Clock clock) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        DynamoDbIncidentStore incidentStore = new DynamoDbIncidentStore(enhanced, settings.incidentsTable());
        DynamoDbShipmentStateStore shipmentStore = new DynamoDbShipmentStateStore(enhanced, settings.shipmentsTable());
        IncidentDesk desk = new IncidentDesk(incidentStore,
                new DynamoDbEventLedger(enhanced, settings.eventsTable(), clock), shipmentStore, clock);
        DynamoDbShipmentReadModel shipments = new DynamoDbShipmentReadModel(dynamo, shipmentStore,
                settings.shipmentsTable());
        ShipmentDetailRoutes shipmentDetail = new ShipmentDetailRoutes(shipments,
                new DynamoDbShipmentEventReadModel(dynamo, settings.eventsTable()),
                settings.exposureTable() == null ? null
                        : new DynamoDbEvidenceStore(enhanced, settings.exposureTable())::exposure,
                settings.productClasses());
        List<RouteFamily> families = new ArrayList<>(OpsApi.coreFamilies(shipments, shipmentDetail,
                new DynamoDbIncidentReadModel(dynamo, incidentStore, settings.incidentsTable()), desk,
                sqs == null || settings.deadLetterQueueUrl() == null ? null
                        : new SqsDeadLetterGauge(sqs, settings.deadLetterQueueUrl()),
                settings.version(), clock));
        // further resources: one RouteFamily each, added here
        return new OpsApi(families);
    }
}
