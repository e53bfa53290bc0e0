package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What pages someone: any message in a dead-letter queue, the ingest or cold-chain mapping falling behind its stream
 * (iterator age beyond the stage's {@code iteratorAgeAlarmMinutes}), either function or the breach confirmer failing,
 * an event id reused for different content ({@code IdConflicts}), a record dead-lettered as evidence of an identity
 * attack or a broken device ({@code IdentityRejections}), the raw archive falling behind the stream or not
 * delivering, and the cold-chain business signals: temperature breaches piling up (incidents opened per hour) and an
 * incident left open too long (exception age), and the ops API answering with server errors, slowly, or its function
 * failing. Every alarm notifies one encrypted, TLS-only SNS topic; an email
 * address from the stage's {@code alarmEmail} is subscribed to it.
 */
public final class OperationalAlarms extends Construct {
    public static final Duration PERIOD = Duration.minutes(5);
    /**
     * Forecast model latency: AWS/SageMaker {@code ModelLatency} (microseconds), p99 above 30 s in three consecutive
     * periods: half of SageMaker's 60 s invocation limit, far above a batch of series fitted in a healthy model.
     */
    public static final int MODEL_LATENCY_ALARM_SECONDS = 30;
    public static final int MODEL_LATENCY_PERIODS = 3;
    /**
     * ID conflicts (IngestTelemetry's {@code IdConflicts}): an event id arrived again with different content. Each
     * one is dead-lettered with both versions; any one in 5 minutes pages, because a producer reusing ids loses facts.
     */
    public static final String ID_CONFLICTS_METRIC = "IdConflicts";
    /**
     * Identity rejections (IngestTelemetry's {@code IdentityRejections}): records dead-lettered as evidence of an
     * attack or a broken device (IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED). A replay never
     * re-drives them by default, so nothing else draws attention to them but this: any one in 5 minutes pages.
     */
    public static final String IDENTITY_REJECTIONS_METRIC = "IdentityRejections";
    /** Firehose: how far its read position is behind the newest record of the source stream. */
    public static final String ARCHIVE_BEHIND_METRIC = "KinesisMillisBehindLatest";
    /** Firehose: age of the oldest record not yet delivered to S3. */
    public static final String ARCHIVE_FRESHNESS_METRIC = "DeliveryToS3.DataFreshness";
    /**
     * The oldest undelivered record may be 15 minutes old: three buffer intervals, and the limit above which AWS
     * recommends an alarm on {@code DataFreshness} (Firehose's CloudWatch best practices).
     */
    public static final double ARCHIVE_FRESHNESS_THRESHOLD_SECONDS = 900;
    /** Breach rate: incidents opened (ColdChainTelemetry's {@code IncidentsOpened}) summed over an hour. */
    public static final String BREACH_METRIC = "IncidentsOpened";
    public static final Duration BREACH_PERIOD = Duration.hours(1);
    /** Exception age: IncidentBacklogHandler's gauge, its maximum over 15 minutes (three runs of the schedule). */
    public static final String EXCEPTION_AGE_METRIC = "OldestOpenIncidentAgeSeconds";
    public static final Duration EXCEPTION_AGE_PERIOD = Duration.minutes(15);
    /**
     * Ops API latency: p99 of API Gateway's {@code Latency} above 3 s in three consecutive 5-minute periods. A read
     * route does at most 10 DynamoDB pages; 3 s is a person waiting on the dashboard, far above a healthy request,
     * and three periods keep one slow cold start from paging.
     */
    public static final double API_LATENCY_P99_THRESHOLD_MS = 3000;
    public static final int API_LATENCY_PERIODS = 3;

    /** The anchoring run's EMF count of runs that could not reach the node (issue 14). */
    public static final String NODE_UNAVAILABLE_METRIC = "NodeUnavailable";
    /** Three 5-minute periods in a row: the node unreachable for 15 minutes. */
    public static final int NODE_UNAVAILABLE_PERIODS = 3;

    private final Topic topic;

    private static Metric incidentsOpened(String service) {
        return Metric.Builder.create().namespace(ColdChainService.METRICS_NAMESPACE).metricName(BREACH_METRIC)
                .dimensionsMap(Map.of("Service", service)).statistic("Sum").period(BREACH_PERIOD).build();
    }
    private final List<Alarm> alarms = new ArrayList<>();

    public OperationalAlarms(Construct scope, String id, StageConfig config, DeadLetterQueues queues,
                             IngestService ingest, ColdChainService coldChain, BreachConfirmer confirmer,
                             IncidentBacklogMonitor backlog, RawArchiveDelivery archive,
                             EdgeAcknowledgement edgeAcknowledgement, OpsApi opsApi) {
        super(scope, id);
        Key key = CustomerKey.of(this, config, "alarm topic", "alarms", RemovalPolicy.DESTROY);
        // CloudWatch publishes alarm notifications to the encrypted topic with this key.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of("*"))
                .build());
        this.topic = Topic.Builder.create(this, "Topic")
                .topicName(config.resourceName("alarms"))
                .displayName("Waybill " + config.stage() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        config.alarmEmail().ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));

        for (Queue queue : queues.all()) {
            String name = queue.getNode().getId();
            add(Alarm.Builder.create(this, name + "Depth")
                    .alarmDescription("Messages are waiting in " + name + ": inspect them, fix, re-drive "
                            + "(./waybill replay-dlq)")
                    .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .statistic("Maximum").period(Duration.minutes(1)).build()))
                    .threshold(1)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .evaluationPeriods(1)
                    .treatMissingData(TreatMissingData.NOT_BREACHING)
                    .build());
        }
        double iteratorAgeMs = config.iteratorAgeAlarmMinutes() * 60_000.0;
        streamConsumerAlarms("Ingest", "ingest", "telemetry", ingest.function(), config.iteratorAgeAlarmMinutes());
        streamConsumerAlarms("ColdChain", "cold-chain", "canonical event", coldChain.function(),
                config.iteratorAgeAlarmMinutes());
        // Edge confirmations: a device whose messages are not confirmed sends them again every confirm timeout and
        // its spool fills; the failed-batch and failed-notice queues' depth alarms are in the loop above.
        streamConsumerAlarms("EdgeAcknowledgement", "edge acknowledgement", "canonical event",
                edgeAcknowledgement.function(), config.iteratorAgeAlarmMinutes());
        errorsAlarm("EdgeSettlementErrors", edgeAcknowledgement.settlementFunction(), "The edge settlement function "
                + "failed invocations: dead-lettered edge messages are not confirmed, their devices keep sending them");
        errorsAlarm("BreachConfirmerErrors", confirmer.function(), "The breach-confirmer function failed runs: "
                + "breaches of shipments with no further evidence are not being acted on");
        // The ops API: a 5xx is a defect (500), a store that did not answer (503) or the integration failing; the
        // function's own errors are invocations that threw or timed out (no response at all).
        add(Alarm.Builder.create(this, "OpsApiServerErrors")
                .alarmDescription("The ops API answered with server errors (5xx): check the ops API function's log "
                        + "and the access log (integrationError)")
                .metric(opsApi.api().metricServerError(MetricOptions.builder().statistic("Sum").period(PERIOD).build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        add(Alarm.Builder.create(this, "OpsApiLatency")
                .alarmDescription("The ops API's p99 latency has been above " + (int) API_LATENCY_P99_THRESHOLD_MS
                        + " ms for " + API_LATENCY_PERIODS * 5 + " min: operations staff are waiting on it")
                .metric(opsApi.api().metricLatency(MetricOptions.builder().statistic("p99").period(PERIOD).build()))
                .threshold(API_LATENCY_P99_THRESHOLD_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(API_LATENCY_PERIODS)
                .datapointsToAlarm(API_LATENCY_PERIODS)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        errorsAlarm("OpsApiErrors", opsApi.function(), "The ops API function failed invocations (threw or timed "
                + "out): its callers got a 5xx with no problem details");

        String deliveryStream = archive.deliveryStream().getRef(); // Ref: the delivery stream name
        add(Alarm.Builder.create(this, "RawArchiveIteratorAge")
                .alarmDescription("The raw archive's delivery stream is more than " + config.iteratorAgeAlarmMinutes()
                        + " min behind the telemetry stream: records it has not read are lost to the archive once "
                        + "the stream trims them")
                .metric(firehoseMetric(ARCHIVE_BEHIND_METRIC, deliveryStream))
                .threshold(iteratorAgeMs)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        add(Alarm.Builder.create(this, "RawArchiveDeliveryAge")
                .alarmDescription("The raw archive holds a record undelivered to S3 for more than 15 min: check the "
                        + "delivery stream's log group (S3 or KMS access, throttling)")
                .metric(firehoseMetric(ARCHIVE_FRESHNESS_METRIC, deliveryStream))
                .threshold(ARCHIVE_FRESHNESS_THRESHOLD_SECONDS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());

        // Business signals, published by the functions with Powertools EMF: namespace POWERTOOLS_METRICS_NAMESPACE,
        // the one dimension Service = POWERTOOLS_SERVICE_NAME (MetricsFactory's default dimension).
        // Incidents are opened by the decision function (a breach confirmed while evidence keeps arriving) and by the
        // breach confirmer (a breach that held with no further evidence): the rate is the sum of both.
        // Batches without one report 0 or no value: neither is a conflict or a rejection.
        add(anyIngestCount("IngestIdConflicts", ID_CONFLICTS_METRIC, "An event id arrived again with different "
                + "content: the dead letters (reason ID_CONFLICT) hold both versions; find the producer that reuses "
                + "message ids"));
        add(anyIngestCount("IngestIdentityRejections", IDENTITY_REJECTIONS_METRIC, "Ingest dead-lettered records as "
                        + "evidence of an attack or a broken device (IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED): list the letters "
                        + "(./waybill replay --stage STAGE --dry-run --reason BAD_SIGNATURE, or the reason the log names), "
                        + "find the thing in wb_route and revoke a compromised device (./waybill devices revoke --thing "
                        + "THING); a replay never re-drives them unless named"));
        add(Alarm.Builder.create(this, "ColdChainBreachRate")
                .alarmDescription("At least " + config.breachAlarmThreshold() + " cold-chain incidents were opened within "
                        + "an hour: look for a common depot, route or reefer model")
                .metric(software.amazon.awscdk.services.cloudwatch.MathExpression.Builder.create()
                        .label("Incidents opened")
                        .expression("FILL(decided, 0) + FILL(confirmed, 0)")
                        .usingMetrics(new java.util.TreeMap<>(Map.of(
                                "decided", incidentsOpened(ColdChainService.METRICS_SERVICE),
                                "confirmed", incidentsOpened(BreachConfirmer.METRICS_SERVICE))))
                        .period(BREACH_PERIOD).build())
                .threshold(config.breachAlarmThreshold())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                // No batch in the hour, no incident opened.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        add(Alarm.Builder.create(this, "IncidentExceptionAge")
                .alarmDescription("A cold-chain incident has been open (not acknowledged) for more than "
                        + config.exceptionAgeAlarmHours() + " h, or the incident-backlog function stopped reporting")
                .metric(Metric.Builder.create()
                        .namespace(IncidentBacklogMonitor.METRICS_NAMESPACE).metricName(EXCEPTION_AGE_METRIC)
                        .dimensionsMap(Map.of("Service", IncidentBacklogMonitor.METRICS_SERVICE))
                        .statistic("Maximum").period(EXCEPTION_AGE_PERIOD).build())
                .threshold(config.exceptionAgeAlarmHours() * 3600.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                // The backlog function reports every 5 minutes, 0 when nothing is open: no data for 15 minutes means
                // nobody is watching the backlog, which is itself worth a page.
                .treatMissingData(TreatMissingData.BREACHING)
                .build());
    }

    /**
     * Iterator age beyond {@code minutes} (maximum over 5 minutes) and any error (sum over 5 minutes) of a stream
     * consumer. Its mapping retries a failing batch until the records are almost as old as the stream keeps them
     * ({@link StreamConsumer}): this alarm is what tells someone long before.
     */
    private void streamConsumerAlarms(String id, String name, String stream, Function function, int minutes) {
        add(Alarm.Builder.create(this, id + "IteratorAge")
                .alarmDescription("The " + name + " function is more than " + minutes + " min behind the " + stream
                        + " stream: a batch is failing or the function does not keep up")
                .metric(Metric.Builder.create()
                        .namespace("AWS/Lambda").metricName("IteratorAge")
                        .dimensionsMap(Map.of("FunctionName", function.getFunctionName()))
                        .statistic("Maximum").period(PERIOD).build())
                .threshold(minutes * 60_000.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        errorsAlarm(id + "Errors", function,
                "The " + name + " function failed invocations (whole batches are being retried)");
    }

    /**
     * Provenance anchoring's alarms: its failed intake batches waiting, the intake behind or failing (as the other
     * canonical stream consumers), the anchoring run failing, and the node unreachable for
     * {@value #NODE_UNAVAILABLE_PERIODS} consecutive 5-minute periods ({@value #NODE_UNAVAILABLE_METRIC}, the run's EMF
     * count of runs that found the node down). A node down for a minute does not page: batches wait and are anchored
     * when it answers again.
     */
    public void watchAnchoring(ProvenanceAnchoring anchoring, StageConfig config) {
        failedBatchesAlarm("AnchorIntakeFailedBatchesDepth", anchoring.intakeFailedBatches(),
                "Messages are waiting in the anchor intake's failed batches: events of those batches are not "
                        + "queued for anchoring; inspect, fix, re-drive (./waybill replay)");
        streamConsumerAlarms("AnchorIntake", "anchor intake", "canonical event", anchoring.intake(),
                config.iteratorAgeAlarmMinutes());
        errorsAlarm("AnchorRunErrors", anchoring.run(), "The anchoring run failed (threw or timed out): batches are "
                + "not being anchored or confirmed; check its log");
        add(Alarm.Builder.create(this, "AnchorNodeUnavailable")
                .alarmDescription("The anchoring run has found the Ethereum node unreachable for "
                        + NODE_UNAVAILABLE_PERIODS * 5 + " min: batches wait (nothing is lost), but no anchor is sent or "
                        + "confirmed until it answers; check the node (AMB console) or WAYBILL_CHAIN_RPC_URL")
                .metric(Metric.Builder.create()
                        .namespace(ProvenanceAnchoring.METRICS_NAMESPACE).metricName(NODE_UNAVAILABLE_METRIC)
                        .dimensionsMap(Map.of("Service", ProvenanceAnchoring.RUN_METRICS_SERVICE))
                        .statistic("Sum").period(PERIOD).build())
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(NODE_UNAVAILABLE_PERIODS)
                .datapointsToAlarm(NODE_UNAVAILABLE_PERIODS)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /** A stream consumer's failed-batches queue holding anything: those batches' events are not processed yet. */
    private void failedBatchesAlarm(String id, software.amazon.awscdk.services.sqs.IQueue queue, String description) {
        add(Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .statistic("Maximum").period(Duration.minutes(1)).build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /**
     * Demand forecasting: the intake like every canonical consumer (failed batches, iterator age, errors), the forecast
     * run's errors, and the endpoint's server errors and model latency (AWS/SageMaker, by endpoint and variant).
     */
    public void watchForecasting(DemandForecasting forecasting, StageConfig config) {
        failedBatchesAlarm("ForecastIntakeFailedBatchesDepth", forecasting.intakeFailedBatches(),
                "Messages are waiting in the demand intake's failed batches: events of those batches are "
                        + "missing from demand history; inspect, fix, re-drive (./waybill replay)");
        streamConsumerAlarms("ForecastIntake", "demand intake", "canonical event", forecasting.intake(),
                config.iteratorAgeAlarmMinutes());
        errorsAlarm("ForecastRunErrors", forecasting.run(), "The forecast run failed (threw or timed out): forecasts "
                + "and reorder recommendations are stale; check its log");
        add(Alarm.Builder.create(this, "ForecastEndpoint5xx")
                .alarmDescription("The forecast endpoint " + forecasting.endpointName() + " answered with server "
                        + "errors: the model server failed or timed out; check /aws/sagemaker/Endpoints/"
                        + forecasting.endpointName())
                .metric(sageMakerMetric(forecasting, "Invocation5XXErrors", "Sum"))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        add(Alarm.Builder.create(this, "ForecastModelLatency")
                .alarmDescription("The forecast model's p99 latency is above " + MODEL_LATENCY_ALARM_SECONDS
                        + " s in " + MODEL_LATENCY_PERIODS + " consecutive periods: invocations near SageMaker's 60 s "
                        + "limit will fail; send fewer series a request or give the endpoint more memory")
                .metric(sageMakerMetric(forecasting, "ModelLatency", "p99"))
                .threshold(MODEL_LATENCY_ALARM_SECONDS * 1_000_000)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(MODEL_LATENCY_PERIODS)
                .datapointsToAlarm(MODEL_LATENCY_PERIODS)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /**
     * The partner exchange: any message in any of its queues (a partner delivery or partner event that was given up,
     * egress batches or dead letters, ingress rejects or failed invocations), the egress function like every canonical
     * consumer (iterator age, errors), and the ingress function's errors.
     */
    public void watchPartners(PartnerExchange partners, StageConfig config) {
        failedBatchesAlarm("PartnerDeliveryDlqDepth", partners.deliveryDlq(),
                "Events for a partner's receiver were given up (retries or 24 h exhausted) and wait in the partner "
                        + "delivery DLQ: check the receiver and its connection, then re-send or replay the archive");
        failedBatchesAlarm("PartnerIngressDlqDepth", partners.ingressDlq(),
                "Partner events could not be delivered to the partner function and wait in the partner ingress DLQ");
        failedBatchesAlarm("PartnerEgressDeadLettersDepth", partners.egressDeadLetters(),
                "Partner egress gave up putting events on the partner bus: they wait in its dead letters");
        failedBatchesAlarm("PartnerEgressFailedBatchesDepth", partners.egressFailedBatches(),
                "Messages are waiting in partner egress's failed batches: those events did not reach partners; "
                        + "inspect, fix, re-drive (./waybill replay)");
        failedBatchesAlarm("PartnerIngressRejectsDepth", partners.ingressRejects(),
                "The partner function rejected partner events (unknown partner or invalid event): they wait in its "
                        + "rejects queue");
        failedBatchesAlarm("PartnerIngressFailedDepth", partners.ingressFailed(),
                "The partner function failed partner events after its retries: they wait in its on-failure queue");
        streamConsumerAlarms("PartnerEgress", "partner egress", "canonical event", partners.egress(),
                config.iteratorAgeAlarmMinutes());
        errorsAlarm("PartnerIngressErrors", partners.ingress(), "The partner function failed invocations (retried, "
                + "then sent to its on-failure queue)");
    }

    /** An AWS/SageMaker endpoint metric of the forecast endpoint's variant over {@link #PERIOD}. */
    private static Metric sageMakerMetric(DemandForecasting forecasting, String name, String statistic) {
        return Metric.Builder.create().namespace("AWS/SageMaker").metricName(name)
                .dimensionsMap(Map.of("EndpointName", forecasting.endpointName(),
                        "VariantName", DemandForecasting.VARIANT_NAME))
                .statistic(statistic).period(PERIOD).build();
    }

    /** A Firehose metric of {@code deliveryStream}, its maximum over 5 minutes. */
    private static Metric firehoseMetric(String name, String deliveryStream) {
        return Metric.Builder.create().namespace("AWS/Firehose").metricName(name)
                .dimensionsMap(Map.of("DeliveryStreamName", deliveryStream))
                .statistic("Maximum").period(PERIOD).build();
    }

    /** Any error of {@code function} (sum over 5 minutes). */
    private void errorsAlarm(String id, Function function, String description) {
        add(Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(function.metricErrors(MetricOptions.builder().statistic("Sum").period(PERIOD).build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    /** An alarm on any count of an ingest EMF metric in one period (missing data: nothing happened). */
    private Alarm anyIngestCount(String id, String metricName, String description) {
        return Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(Metric.Builder.create()
                        .namespace(IngestService.METRICS_NAMESPACE).metricName(metricName)
                        .dimensionsMap(Map.of("Service", IngestService.METRICS_SERVICE))
                        .statistic("Sum").period(PERIOD).build())
                .threshold(0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private void add(Alarm alarm) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    public Topic topic() {
        return topic;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
