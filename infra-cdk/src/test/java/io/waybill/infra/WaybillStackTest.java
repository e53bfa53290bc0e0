package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class WaybillStackTest {

    @Test
    void functionEnvironmentsAreWrittenInSortedOrderSoEverySynthGivesTheSameTemplate() {
        // Map.of's iteration order changes from one JVM to the next; unsorted, the template's bytes would too.
        var functions = SynthesizedStacks.dev().resources("AWS::Lambda::Function").values();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(5).allSatisfy(f -> {
            Object env = SynthesizedStacks.asMap(SynthesizedStacks.asMap(f.get("Properties")).get("Environment"))
                    .get("Variables");
            List<String> keys = List.copyOf(SynthesizedStacks.asMap(env).keySet());
            assertThat(keys).isSorted();
        });
    }

    @Test
    void stackNameCarriesTheStage() {
        assertThat(SynthesizedStacks.dev().stack().getStackName()).isEqualTo("Waybill-dev");
        assertThat(SynthesizedStacks.loadTest().stack().getStackName()).isEqualTo("Waybill-load-test");
    }

    @Test
    void resourceNamesCarryTheStage() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(names(loadTest, "AWS::DynamoDB::Table", "TableName")).containsExactlyInAnyOrder(
                "waybill-load-test-events", "waybill-load-test-shipments", "waybill-load-test-exposure",
                "waybill-load-test-incidents", "waybill-load-test-compliance", "waybill-load-test-devices",
                "waybill-load-test-kpi-aggregates", "waybill-load-test-dead-letters",
                "waybill-load-test-consumer-watermarks", "waybill-load-test-epcis");
        assertThat(names(loadTest, "AWS::SQS::Queue", "QueueName")).containsExactlyInAnyOrder(
                "waybill-load-test-ingest-dead-letters", "waybill-load-test-ingest-failed-batches",
                "waybill-load-test-iot-rule-errors", "waybill-load-test-coldchain-failed-batches",
                "waybill-load-test-kpi-aggregator-failed-batches", "waybill-load-test-edge-acknowledgement-failed-batches",
                "waybill-load-test-edge-settlements", "waybill-load-test-edge-settlements-failed");
        assertThat(names(loadTest, "AWS::Kinesis::Stream", "Name")).containsExactlyInAnyOrder(
                "waybill-load-test-telemetry", "waybill-load-test-canonical-events");
        assertThat(names(loadTest, "AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"))
                .containsExactly("waybill-load-test-raw-archive");
        assertThat(names(loadTest, "AWS::Lambda::Function", "FunctionName")).containsExactlyInAnyOrder(
                "waybill-load-test-ingest", "waybill-load-test-coldchain", "waybill-load-test-incident-backlog",
                "waybill-load-test-kpi", "waybill-load-test-breach-confirmer",
                "waybill-load-test-device-provisioning-hook", "waybill-load-test-kpi-aggregator",
                "waybill-load-test-edge-acknowledgement", "waybill-load-test-edge-settlement",
                "waybill-load-test-ops-api");
        assertThat(names(loadTest, "AWS::Events::Rule", "Name")).containsExactlyInAnyOrder(
                "waybill-load-test-incident-backlog", "waybill-load-test-kpi", "waybill-load-test-breach-confirmer");
        assertThat(names(loadTest, "AWS::IoT::TopicRule", "RuleName"))
                .containsExactly("waybill_telemetry_to_kinesis_load_test");
        assertThat(names(loadTest, "AWS::SNS::Topic", "TopicName")).containsExactlyInAnyOrder("waybill-load-test-alarms",
                "waybill-load-test-incidents");
        assertThat(names(SynthesizedStacks.dev(), "AWS::DynamoDB::Table", "TableName")).containsExactlyInAnyOrder(
                "waybill-dev-events", "waybill-dev-shipments", "waybill-dev-exposure", "waybill-dev-incidents",
                "waybill-dev-compliance", "waybill-dev-devices", "waybill-dev-kpi-aggregates", "waybill-dev-dead-letters",
                "waybill-dev-consumer-watermarks", "waybill-dev-epcis");
    }

    @Test
    void templateHardCodesNoAccountOrRegion() {
        for (var variant : List.of(SynthesizedStacks.dev(), SynthesizedStacks.loadTest())) {
            String json = variant.template().toJSON().toString();
            assertThat(Pattern.compile("(?<![0-9A-Za-z])\\d{12}(?![0-9A-Za-z])").matcher(json).find())
                    .as("12-digit account id in " + variant.stack().getStackName()).isFalse();
            assertThat(Pattern.compile("\\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\\d\\b").matcher(json).find())
                    .as("region name in " + variant.stack().getStackName()).isFalse();
            assertThat(variant.stack().getAccount()).isEqualTo(software.amazon.awscdk.Aws.ACCOUNT_ID);
        }
    }

    @Test
    void cdkNagAwsSolutionsReportsNoUnsuppressedErrors() {
        for (var variant : List.of(SynthesizedStacks.dev(), SynthesizedStacks.loadTest())) {
            List<SynthesisMessage> errors = Annotations.fromStack(variant.stack())
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            assertThat(describe(errors)).as(variant.stack().getStackName()).isEmpty();
        }
    }

    @Test
    void cdkNagAwsSolutionsReportsNoUnsuppressedWarnings() {
        for (var variant : List.of(SynthesizedStacks.dev(), SynthesizedStacks.loadTest())) {
            List<SynthesisMessage> warnings = Annotations.fromStack(variant.stack())
                    .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            assertThat(describe(warnings)).as(variant.stack().getStackName()).isEmpty();
        }
    }

    @Test
    void everyCdkNagSuppressionStatesAReason() {
        List<Map<String, Object>> suppressions = SynthesizedStacks.asMap(
                        SynthesizedStacks.asMap(SynthesizedStacks.dev().template().toJSON()).get("Resources"))
                .values().stream()
                .map(r -> SynthesizedStacks.asMap(r).get("Metadata"))
                .filter(Objects::nonNull)
                .map(m -> SynthesizedStacks.asMap(m).get("cdk_nag"))
                .filter(Objects::nonNull)
                .flatMap(n -> SynthesizedStacks.asList(SynthesizedStacks.asMap(n).get("rules_to_suppress")).stream())
                .map(SynthesizedStacks::asMap)
                .collect(Collectors.toList());
        assertThat(suppressions).extracting(s -> s.get("id"))
                .contains("AwsSolutions-SQS3", "AwsSolutions-KDS3", "AwsSolutions-L1", "AwsSolutions-IAM5");
        assertThat(suppressions).allSatisfy(s -> assertThat(s.get("reason").toString()).hasSizeGreaterThan(60));
    }

    private static List<String> names(SynthesizedStacks.Synthesized variant, String type, String property) {
        return variant.resources(type).values().stream()
                .map(r -> SynthesizedStacks.asMap(r.get("Properties")).get(property).toString())
                .collect(Collectors.toList());
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).collect(Collectors.toList());
    }
}
