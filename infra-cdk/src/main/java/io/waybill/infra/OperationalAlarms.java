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
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What pages someone: any message in a dead-letter queue, the ingest mapping falling behind the stream (iterator
 * age), the function failing. Every alarm notifies one encrypted, TLS-only SNS topic; an email address from the
 * stage's {@code alarmEmail} is subscribed to it.
 */
public final class OperationalAlarms extends Construct {
    /** Iterator age above a minute (maximum over 5 minutes): the function no longer keeps up with the stream. */
    public static final double ITERATOR_AGE_THRESHOLD_MS = 60_000;
    public static final Duration PERIOD = Duration.minutes(5);

    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();

    public OperationalAlarms(Construct scope, String id, StageConfig config, DeadLetterQueues queues,
                             IngestService ingest) {
        super(scope, id);
        Key key = Key.Builder.create(this, "Key")
                .description("Waybill " + config.stage() + " alarm topic")
                .alias("alias/" + config.resourceName("alarms"))
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
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
        Map<String, String> functionDimensions = Map.of("FunctionName", ingest.function().getFunctionName());
        add(Alarm.Builder.create(this, "IngestIteratorAge")
                .alarmDescription("The ingest function is more than a minute behind the telemetry stream")
                .metric(Metric.Builder.create()
                        .namespace("AWS/Lambda").metricName("IteratorAge").dimensionsMap(functionDimensions)
                        .statistic("Maximum").period(PERIOD).build())
                .threshold(ITERATOR_AGE_THRESHOLD_MS)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        add(Alarm.Builder.create(this, "IngestErrors")
                .alarmDescription("The ingest function failed invocations (whole batches are being retried)")
                .metric(ingest.function().metricErrors(MetricOptions.builder().statistic("Sum").period(PERIOD).build()))
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
