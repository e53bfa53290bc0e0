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
 * What pages someone: any message in a dead-letter queue, the ingest or cold-chain mapping falling behind the stream
 * (iterator age), either function or the breach confirmer failing, and the cold-chain business signals: temperature breaches piling up
 * (incidents opened per hour) and an incident left open too long (exception age). Every alarm notifies one encrypted,
 * TLS-only SNS topic; an email address from the stage's {@code alarmEmail} is subscribed to it.
 */
public final class OperationalAlarms extends Construct {
    /** Iterator age above a minute (maximum over 5 minutes): the function no longer keeps up with the stream. */
    public static final double ITERATOR_AGE_THRESHOLD_MS = 60_000;
    public static final Duration PERIOD = Duration.minutes(5);
    /** Breach rate: incidents opened (ColdChainTelemetry's {@code IncidentsOpened}) summed over an hour. */
    public static final String BREACH_METRIC = "IncidentsOpened";
    public static final Duration BREACH_PERIOD = Duration.hours(1);
    /** Exception age: IncidentBacklogHandler's gauge, its maximum over 15 minutes (three runs of the schedule). */
    public static final String EXCEPTION_AGE_METRIC = "OldestOpenIncidentAgeSeconds";
    public static final Duration EXCEPTION_AGE_PERIOD = Duration.minutes(15);

    private final Topic topic;

    private static Metric incidentsOpened(String service) {
        return Metric.Builder.create().namespace(ColdChainService.METRICS_NAMESPACE).metricName(BREACH_METRIC)
                .dimensionsMap(Map.of("Service", service)).statistic("Sum").period(BREACH_PERIOD).build();
    }
    private final List<Alarm> alarms = new ArrayList<>();

    public OperationalAlarms(Construct scope, String id, StageConfig config, DeadLetterQueues queues,
                             IngestService ingest, ColdChainService coldChain, BreachConfirmer confirmer,
                             IncidentBacklogMonitor backlog) {
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
        streamConsumerAlarms("Ingest", "ingest", ingest.function());
        streamConsumerAlarms("ColdChain", "cold-chain", coldChain.function());
        errorsAlarm("BreachConfirmerErrors", confirmer.function(), "The breach-confirmer function failed runs: "
                + "breaches of shipments with no further evidence are not being acted on");

        // Business signals, published by the functions with Powertools EMF: namespace POWERTOOLS_METRICS_NAMESPACE,
        // the one dimension Service = POWERTOOLS_SERVICE_NAME (MetricsFactory's default dimension).
        // Incidents are opened by the decision function (a breach confirmed while evidence keeps arriving) and by the
        // breach confirmer (a breach that held with no further evidence): the rate is the sum of both.
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

    /** Iterator age > a minute (maximum over 5 minutes) and any error (sum over 5 minutes) of a stream consumer. */
    private void streamConsumerAlarms(String id, String name, Function function) {
        add(Alarm.Builder.create(this, id + "IteratorAge")
                .alarmDescription("The " + name + " function is more than a minute behind the telemetry stream")
                .metric(Metric.Builder.create()
                        .namespace("AWS/Lambda").metricName("IteratorAge")
                        .dimensionsMap(Map.of("FunctionName", function.getFunctionName()))
                        .statistic("Maximum").period(PERIOD).build())
                .threshold(ITERATOR_AGE_THRESHOLD_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        errorsAlarm(id + "Errors", function,
                "The " + name + " function failed invocations (whole batches are being retried)");
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
