package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter queues and the alarms and topic that watch them. */
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
        assertThat(queues).hasSize(3);
        assertThat(queues.values()).allSatisfy(q -> assertThat(asMap(q.get("Properties")))
                .containsEntry("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))
                .containsEntry("MessageRetentionPeriod", 1_209_600));
    }

    @Test
    void deadLetterQueuesRefuseRequestsWithoutTls() {
        var policies = dev.resources("AWS::SQS::QueuePolicy").values().stream()
                .map(p -> asMap(p.get("Properties"))).toList();
        assertThat(policies).hasSize(3).allSatisfy(p -> assertThat(p.get("PolicyDocument").toString())
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
    void iteratorAgeAlarmFiresWhenIngestIsAMinuteBehind() {
        assertThat(alarms.values()).filteredOn(a -> "IteratorAge".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Statistic", "Maximum").containsEntry("Period", 300)
                        .containsEntry("Threshold", 60_000).containsEntry("ComparisonOperator", "GreaterThanThreshold")
                        .containsEntry("Dimensions", List.of(Map.of("Name", "FunctionName",
                                "Value", Map.of("Ref", dev.logicalId(dev.stack().ingest().function()))))));
    }

    @Test
    void functionErrorsAlarmFiresOnAnyError() {
        assertThat(alarms.values()).filteredOn(a -> "Errors".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/Lambda").containsEntry("Threshold", 1)
                        .containsEntry("Statistic", "Sum"));
    }

    @Test
    void everyAlarmNotifiesTheAlarmTopic() {
        String topic = dev.logicalId(dev.stack().alarms().topic());
        assertThat(alarms).hasSize(5);
        assertThat(alarms.values()).allSatisfy(a -> assertThat(a.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", topic))));
    }

    @Test
    void alarmTopicIsEncryptedAndTlsOnly() {
        Map<String, Object> topic = dev.onlyProperties("AWS::SNS::Topic");
        assertThat(topic.get("KmsMasterKeyId")).isInstanceOf(Map.class);
        assertThat(dev.onlyProperties("AWS::SNS::TopicPolicy").get("PolicyDocument").toString())
                .contains("Effect=Deny").contains("aws:SecureTransport=false");
    }

    @Test
    void alarmTopicKeyLetsCloudWatchPublish() {
        Object keyArn = dev.onlyProperties("AWS::SNS::Topic").get("KmsMasterKeyId");
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
