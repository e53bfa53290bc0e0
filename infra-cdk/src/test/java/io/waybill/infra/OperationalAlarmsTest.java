package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter queues and the alarms and topic that watch them and the functions. */
class OperationalAlarmsTest {
    private static SynthesizedStacks.Synthesized dev;
    private static Map<String, Map<String, Object>> alarms;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        alarms = dev.resources("AWS::CloudWatch::Alarm").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> asMap(e.getValue().get("Properties"))));
    }

    @Test
    void deadLetterQueuesAreEncryptedWithACustomerKeyAndKeepMessagesFourteenDays() {
        String key = dev.logicalId(dev.stack().deadLetters().key());
        Map<String, Map<String, Object>> queues = dev.resources("AWS::SQS::Queue");
        // issue 12: + the KPI aggregator's failed batches, the edge acknowledgement's failed batches, the edge
        // settlement notices and the notices that failed
        assertThat(queues).hasSize(8);
        assertThat(queues.values()).allSatisfy(q -> assertThat(asMap(q.get("Properties")))
                .containsEntry("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))
                .containsEntry("MessageRetentionPeriod", 1_209_600));
    }

    @Test
    void deadLetterQueuesRefuseRequestsWithoutTls() {
        var policies = dev.resources("AWS::SQS::QueuePolicy").values().stream()
                .map(p -> asMap(p.get("Properties"))).toList();
        assertThat(policies).hasSize(8).allSatisfy(p -> assertThat(p.get("PolicyDocument").toString())
                .contains("Effect=Deny").contains("aws:SecureTransport=false"));
    }

    @Test
    void everyDeadLetterQueueHasADepthAlarmAtOneMessage() {
        for (var queue : dev.stack().deadLetters().all()) {
            String queueId = dev.logicalId(queue);
            assertThat(alarms.values()).filteredOn(a -> a.toString().contains("Fn::GetAtt=[" + queueId + ", QueueName]"))
                    .singleElement().satisfies(a -> assertThat(a)
                            .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                            .containsEntry("Threshold", 1)
                            .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        }
    }

    @Test
    void iteratorAgeAlarmFiresWhenIngestOrColdChainIsFifteenMinutesBehindByDefault() {
        assertIteratorAgeAlarms(dev, 900_000);                          // 15 min
        assertIteratorAgeAlarms(SynthesizedStacks.loadTest(), 300_000); // iteratorAgeAlarmMinutes=5
    }

    private static void assertIteratorAgeAlarms(SynthesizedStacks.Synthesized variant, int thresholdMs) {
        var stack = variant.stack();
        for (var function : List.of(stack.ingest().function(), stack.coldChain().function())) {
            var dimensions = List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", variant.logicalId(function))));
            assertThat(variant.resources("AWS::CloudWatch::Alarm").values()).map(r -> asMap(r.get("Properties")))
                    .filteredOn(a -> "IteratorAge".equals(a.get("MetricName")) && dimensions.equals(a.get("Dimensions")))
                    .singleElement()
                    .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/Lambda")
                            .containsEntry("Statistic", "Maximum").containsEntry("Period", 300)
                            .containsEntry("Threshold", thresholdMs)
                            .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                            .containsEntry("AlarmActions", List.of(Map.of("Ref", variant.logicalId(stack.alarms().topic())))));
        }
    }

    @Test
    void idConflictAlarmFiresOnAnyConflictOfTheIngestFunctionInFiveMinutes() {
        // namespace and dimension as IngestTelemetry publishes its EMF metrics: Powertools' Service default dimension
        Map<String, Object> ingestEnv = asMap(asMap(dev.properties(dev.stack().ingest().function())
                .get("Environment")).get("Variables"));
        assertThat(onlyAlarmOn(dev, "IdConflicts"))
                .containsEntry("Namespace", "Waybill").containsEntry("Namespace", ingestEnv.get("POWERTOOLS_METRICS_NAMESPACE"))
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", "ingest")))
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service",
                        "Value", ingestEnv.get("POWERTOOLS_SERVICE_NAME"))))
                .containsEntry("Statistic", "Sum")
                .containsEntry("Period", 300)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("Threshold", 0)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("TreatMissingData", "notBreaching");
    }

    @Test
    void identityRejectionAlarmFiresOnAnyAttackEvidenceOfTheIngestFunctionInFiveMinutes() {
        Map<String, Object> ingestEnv = asMap(asMap(dev.properties(dev.stack().ingest().function())
                .get("Environment")).get("Variables"));
        assertThat(io.waybill.ingest.IngestTelemetry.IDENTITY_REJECTIONS).as("the metric ingest publishes")
                .isEqualTo("IdentityRejections");
        Map<String, Object> alarm = onlyAlarmOn(dev, "IdentityRejections");
        assertThat(alarm)
                .containsEntry("Namespace", "Waybill").containsEntry("Namespace", ingestEnv.get("POWERTOOLS_METRICS_NAMESPACE"))
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", "ingest")))
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service",
                        "Value", ingestEnv.get("POWERTOOLS_SERVICE_NAME"))))
                .containsEntry("Statistic", "Sum")
                .containsEntry("Period", 300)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("Threshold", 0)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("AlarmActions", List.of(Map.of("Ref", dev.logicalId(dev.stack().alarms().topic()))));
        assertThat(alarm.get("AlarmDescription").toString()).contains("--reason BAD_SIGNATURE")
                .contains("./waybill devices revoke");
        // every stage has it
        assertThat(onlyAlarmOn(SynthesizedStacks.loadTest(), "IdentityRejections")).containsEntry("Threshold", 0);
    }

    @Test
    void rawArchiveAlarmsFireWhenItsDeliveryStreamFallsBehindOrStopsDelivering() {
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            var dimensions = List.of(Map.of("Name", "DeliveryStreamName",
                    "Value", Map.of("Ref", variant.logicalId(variant.stack().rawArchiveDelivery().deliveryStream()))));
            assertThat(onlyAlarmOn(variant, "KinesisMillisBehindLatest"))
                    .containsEntry("Namespace", "AWS/Firehose").containsEntry("Dimensions", dimensions)
                    .containsEntry("Statistic", "Maximum").containsEntry("Period", 300)
                    // the stage's iterator-age threshold: 15 min in dev, 5 in load-test
                    .containsEntry("Threshold", variant == dev ? 900_000 : 300_000)
                    .containsEntry("ComparisonOperator", "GreaterThanThreshold");
            assertThat(onlyAlarmOn(variant, "DeliveryToS3.DataFreshness"))
                    .containsEntry("Namespace", "AWS/Firehose").containsEntry("Dimensions", dimensions)
                    .containsEntry("Statistic", "Maximum").containsEntry("Period", 300)
                    .containsEntry("Threshold", 900) // seconds: AWS' 15-minute recommendation
                    .containsEntry("ComparisonOperator", "GreaterThanThreshold");
        }
    }

    @Test
    void functionErrorsAlarmFiresOnAnyErrorOfEitherStreamConsumerOrTheBreachConfirmer() {
        for (var function : List.of(dev.stack().ingest().function(), dev.stack().coldChain().function(),
                dev.stack().breachConfirmer().function())) {
            var dimensions = List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", dev.logicalId(function))));
            assertThat(alarms.values()).filteredOn(a -> "Errors".equals(a.get("MetricName"))
                            && dimensions.equals(a.get("Dimensions"))).singleElement()
                    .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/Lambda").containsEntry("Threshold", 1)
                            .containsEntry("Statistic", "Sum").containsEntry("Period", 300)
                            .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                            .containsEntry("TreatMissingData", "notBreaching"));
        }
    }

    @Test
    void breachRateAlarmSumsTheIncidentsOpenedByTheDecisionFunctionAndTheConfirmerInAnHour() {
        Map<String, Object> alarm = breachRate(dev);
        List<Object> metrics = asList(alarm.get("Metrics"));
        Map<String, Object> sum = metrics.stream().map(SynthesizedStacks::asMap)
                .filter(m -> m.containsKey("Expression")).findFirst().orElseThrow();
        assertThat(sum).containsEntry("Expression", "FILL(decided, 0) + FILL(confirmed, 0)")
                .containsEntry("ReturnData", true);
        for (String[] part : new String[][] {{"decided", "coldchain"}, {"confirmed", "breach-confirmer"}}) {
            Map<String, Object> stat = asMap(asMap(metrics.stream().map(SynthesizedStacks::asMap)
                    .filter(m -> part[0].equals(m.get("Id"))).findFirst().orElseThrow().get("MetricStat")));
            Map<String, Object> metric = asMap(stat.get("Metric"));
            assertThat(metric).containsEntry("Namespace", "Waybill").containsEntry("MetricName", "IncidentsOpened")
                    .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", part[1])));
            assertThat(stat).containsEntry("Stat", "Sum").containsEntry("Period", 3600);
        }
        assertThat(alarm)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("Threshold", 3)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("TreatMissingData", "notBreaching");
    }

    @Test
    void exceptionAgeAlarmFiresOnAnIncidentOpenFourHoursOrOnSilence() {
        assertThat(exceptionAge(dev))
                .containsEntry("Namespace", "Waybill")
                .containsEntry("MetricName", "OldestOpenIncidentAgeSeconds")
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", "incident-backlog")))
                .containsEntry("Statistic", "Maximum")
                .containsEntry("Period", 900)
                .containsEntry("EvaluationPeriods", 1)
                .containsEntry("Threshold", 14_400)
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("TreatMissingData", "breaching");
    }

    @Test
    void businessAlarmDimensionsAreTheServiceNamesTheFunctionsPublishUnder() {
        // Powertools' MetricsFactory adds one default dimension, Service = POWERTOOLS_SERVICE_NAME.
        Map<String, Object> coldChainEnv = asMap(asMap(dev.properties(dev.stack().coldChain().function())
                .get("Environment")).get("Variables"));
        Map<String, Object> backlogEnv = asMap(asMap(dev.properties(dev.stack().incidentBacklog().function())
                .get("Environment")).get("Variables"));
        assertThat(breachRate(dev).toString()).contains("Value=" + coldChainEnv.get("POWERTOOLS_SERVICE_NAME"))
                .contains("Namespace=" + coldChainEnv.get("POWERTOOLS_METRICS_NAMESPACE"));
        assertThat(exceptionAge(dev).get("Dimensions")).isEqualTo(List.of(Map.of("Name", "Service",
                "Value", backlogEnv.get("POWERTOOLS_SERVICE_NAME"))));
        assertThat(exceptionAge(dev)).containsEntry("Namespace", backlogEnv.get("POWERTOOLS_METRICS_NAMESPACE"));
    }

    @Test
    void businessAlarmThresholdsComeFromContext() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(breachRate(loadTest)).containsEntry("Threshold", 5);
        assertThat(exceptionAge(loadTest)).containsEntry("Threshold", 7_200);
    }

    private static Map<String, Object> breachRate(SynthesizedStacks.Synthesized variant) {
        var found = variant.resources("AWS::CloudWatch::Alarm").values().stream().map(r -> asMap(r.get("Properties")))
                .filter(a -> a.containsKey("Metrics") && a.get("Metrics").toString().contains("IncidentsOpened"))
                .toList();
        assertThat(found).as("breach-rate alarms").hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> exceptionAge(SynthesizedStacks.Synthesized variant) {
        return onlyAlarmOn(variant, "OldestOpenIncidentAgeSeconds");
    }

    private static Map<String, Object> onlyAlarmOn(SynthesizedStacks.Synthesized variant, String metricName) {
        var found = variant.resources("AWS::CloudWatch::Alarm").values().stream().map(r -> asMap(r.get("Properties")))
                .filter(a -> metricName.equals(a.get("MetricName"))).toList();
        assertThat(found).as("alarms on " + metricName).hasSize(1);
        return found.get(0);
    }

    @Test
    void everyAlarmNotifiesTheAlarmTopic() {
        String topic = dev.logicalId(dev.stack().alarms().topic());
        // 4 queue depths, iterator age and errors of ingest and cold-chain, breach-confirmer errors, ID conflicts,
        // identity rejections, the raw archive's lag and delivery age, breach rate, exception age.
        // issue 12: + the KPI aggregator's failed-batches depth; the edge acknowledgement's iterator age, errors and
        // failed-batches depth, the edge settlement's errors and failed-notices depth
        // issue 13: + the ops API's 5xx and p99 latency, and its function's errors
        assertThat(alarms).hasSize(24);
        assertThat(alarms.values()).allSatisfy(a -> assertThat(a.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", topic))));
    }

    @Test
    void alarmTopicIsEncryptedAndTlsOnly() {
        Map<String, Object> topic = dev.properties(dev.stack().alarms().topic());
        assertThat(topic.get("KmsMasterKeyId")).isInstanceOf(Map.class);
        Object ref = Map.of("Ref", dev.logicalId(dev.stack().alarms().topic()));
        assertThat(dev.resources("AWS::SNS::TopicPolicy").values()).map(p -> asMap(p.get("Properties")))
                .filteredOn(p -> asList(p.get("Topics")).contains(ref)).singleElement()
                .satisfies(p -> assertThat(p.get("PolicyDocument").toString())
                        .contains("Effect=Deny").contains("aws:SecureTransport=false"));
    }

    @Test
    void alarmTopicKeyLetsCloudWatchPublish() {
        Object keyArn = dev.properties(dev.stack().alarms().topic()).get("KmsMasterKeyId");
        String key = asList(asMap(keyArn).get("Fn::GetAtt")).get(0).toString();
        assertThat(dev.resources("AWS::KMS::Key").get(key).toString()).contains("cloudwatch.amazonaws.com");
    }

    @Test
    void emailIsSubscribedOnlyWhenTheContextNamesOne() {
        assertThat(dev.resources("AWS::SNS::Subscription")).isEmpty();
        assertThat(SynthesizedStacks.loadTest().onlyProperties("AWS::SNS::Subscription"))
                .containsEntry("Protocol", "email").containsEntry("Endpoint", "oncall@example.com");
    }
}
