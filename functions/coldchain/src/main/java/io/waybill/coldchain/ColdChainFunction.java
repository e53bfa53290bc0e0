package io.waybill.coldchain;

import io.waybill.aws.coldchain.SnsIncidentNotifier;
import io.waybill.domain.decision.IncidentNotifier;
import io.waybill.aws.stream.KinesisCanonicalEventPublisher;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import io.waybill.aws.coldchain.DynamoDbComplianceStore;
import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.domain.ops.ConsumerWatermarks;

import java.time.Clock;

/**
 * The cold-chain function's wiring: configuration, clients and the decision loop, built once per execution
 * environment.
 *
 * @param loop      the domain service the handler calls
 * @param telemetry where per-batch logs and EMF metrics go
 * @param clock     processing-time clock
 */
public record ColdChainFunction(ColdChainLoop loop, ColdChainTelemetry telemetry, Clock clock,
                                ConsumerWatermarks watermarks) {

    /** Without consumer watermarks. */
    public ColdChainFunction(ColdChainLoop loop, ColdChainTelemetry telemetry, Clock clock) {
        this(loop, telemetry, clock, null);
    }

    /** Lambda: everything from the environment; the URLConnection HTTP client keeps the cold start small. */
    public static ColdChainFunction fromEnvironment() {
        ColdChainSettings settings = ColdChainSettings.fromEnvironment();
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.region() != null) {
            dynamo.region(Region.of(settings.region()));
        }
        if (settings.endpointOverride() != null) {
            dynamo.endpointOverride(settings.endpointOverride());
        }
        SnsClientBuilder sns = SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.region() != null) {
            sns.region(Region.of(settings.region()));
        }
        if (settings.endpointOverride() != null) {
            sns.endpointOverride(settings.endpointOverride());
        }
        KinesisClientBuilder kinesis = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (settings.region() != null) {
            kinesis.region(Region.of(settings.region()));
        }
        if (settings.endpointOverride() != null) {
            kinesis.endpointOverride(settings.endpointOverride());
        }
        DynamoDbClient client = dynamo.build();
        ColdChainFunction f = create(settings, client, kinesis.build(),
                new SnsIncidentNotifier(sns.build(), settings.incidentTopicArn()),
                new ColdChainTelemetry(MetricsFactory.getMetricsInstance(), null));
        String watermarks = ColdChainSettings.consumerWatermarksTable(System.getenv());
        return watermarks == null ? f : f.withWatermarks(new DynamoDbConsumerWatermarks(client, watermarks));
    }

    /** This function recording its consumer watermark in {@code watermarks} after each batch. */
    public ColdChainFunction withWatermarks(ConsumerWatermarks watermarks) {
        return new ColdChainFunction(loop, telemetry, clock, watermarks);
    }

    /**
     * Any environment: a given client (the local runtime points it at the emulators) and the channel incidents are
     * told on (SNS on AWS, the local stack's SQS queue).
     */
    public static ColdChainFunction create(ColdChainSettings settings, DynamoDbClient dynamo,
                                           IncidentNotifier notifier, ColdChainTelemetry telemetry) {
        return create(settings, dynamo, CanonicalEventPublisher.NONE, notifier, telemetry);
    }

    /**
     * Any environment, publishing decision events to the settings' canonical stream through {@code kinesis} (nowhere
     * when the settings name none).
     */
    public static ColdChainFunction create(ColdChainSettings settings, DynamoDbClient dynamo, KinesisClient kinesis,
                                           IncidentNotifier notifier, ColdChainTelemetry telemetry) {
        CanonicalEventPublisher canonical = settings.canonicalStreamName() == null ? CanonicalEventPublisher.NONE
                : new KinesisCanonicalEventPublisher(kinesis, settings.canonicalStreamName());
        return create(settings, dynamo, canonical, notifier, telemetry);
    }

    /** Any environment, with the given canonical stream publisher. */
    public static ColdChainFunction create(ColdChainSettings settings, DynamoDbClient dynamo,
                                           CanonicalEventPublisher canonical, IncidentNotifier notifier,
                                           ColdChainTelemetry telemetry) {
        Clock clock = Clock.systemUTC();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        ColdChainLoop loop = new ColdChainLoop(new ColdChainDecider(settings.decisions()),
                new io.waybill.domain.decision.ShipmentClassifier(settings.productClasses(),
                        new io.waybill.aws.eventstore.DynamoDbShipmentPlans(enhanced, settings.shipmentsTable()),
                        settings.decisions().defaultProductClass())::classify,
                new DynamoDbEvidenceStore(enhanced, settings.exposureTable()),
                new DynamoDbIncidentStore(enhanced, settings.incidentsTable()),
                new DynamoDbComplianceStore(enhanced, settings.complianceTable()),
                new DynamoDbEventLedger(enhanced, settings.eventsTable(), clock),
                new DynamoDbShipmentStateStore(enhanced, settings.shipmentsTable()), notifier, canonical, clock);
        return new ColdChainFunction(loop, telemetry, clock);
    }
}
