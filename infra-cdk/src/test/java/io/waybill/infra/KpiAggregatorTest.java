package io.waybill.infra;

import io.waybill.kpi.KpiAggregatorHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: the KPI aggregates table and the canonical-stream consumer that keeps it. */
class KpiAggregatorTest {
    private static SynthesizedStacks.Synthesized dev;
    private static KpiAggregator aggregator;
    private static Map<String, Object> function;
    private static Map<String, Object> mapping;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        aggregator = dev.stack().kpiAggregator();
        function = dev.properties(aggregator.function());
        mapping = dev.mappingOn(aggregator.alias());
    }

    private static Object arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(dev.logicalId(construct), "Arn"));
    }

    @Test
    void tableIsKeyedByPkAndSkOnDemandEncryptedWithItsOwnKeyAndRecoverable() {
        Map<String, Object> table = dev.properties(aggregator.aggregates());
        assertThat(table).containsEntry("TableName", "waybill-dev-kpi-aggregates")
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertThat(asMap(table.get("SSESpecification"))).containsEntry("SSEEnabled", true)
                .containsEntry("KMSMasterKeyId", arn(aggregator.key()));
        assertThat(asMap(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(table).doesNotContainKey("GlobalSecondaryIndexes");
    }

    @Test
    void consumesTheCanonicalStreamWithPartialBatchFailuresOneBatchPerShard() {
        Object canonical = arn(dev.stack().canonicalEvents().stream());
        assertThat(mapping).containsEntry("EventSourceArn", canonical).containsEntry("ParallelizationFactor", 1)
                .containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BatchSize", 100);
        assertReportsBatchItemFailures(mapping);
        assertExhaustedBatchesGoTo(dev, mapping, dev.stack().deadLetters().kpiAggregatorFailedBatches());
    }

    @Test
    void functionRunsTheAggregatorHandlerFromTheKpiJarWithOnlyItsTable() throws Exception {
        assertThat(function).containsEntry("FunctionName", "waybill-dev-kpi-aggregator")
                .containsEntry("Handler", KpiAggregator.HANDLER);
        String[] handler = KpiAggregator.HANDLER.split("::");
        assertThat(Class.forName(handler[0])).isEqualTo(KpiAggregatorHandler.class);
        assertThat(asMap(asMap(function.get("Environment")).get("Variables")))
                .containsEntry(KpiAggregatorHandler.ENV_AGGREGATES_TABLE,
                        Map.of("Ref", dev.logicalId(aggregator.aggregates())))
                .containsEntry(io.waybill.kpi.KpiSettings.ENV_CONSUMER_WATERMARKS_TABLE,
                        Map.of("Ref", dev.logicalId(dev.stack().consumerWatermarks().table())));
    }

    @Test
    void roleMayOnlyGetPutAndUpdateTheAggregatesPutItsWatermarkAndNothingOfTheEventStore() {
        var statements = dev.policyStatements(aggregator.role());
        Map<Object, List<String>> dynamo = new HashMap<>();
        statements.stream().filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .forEach(s -> s.resources().forEach(r -> dynamo.computeIfAbsent(r, k -> new ArrayList<>())
                        .addAll(s.actions())));
        Object watermarks = arn(dev.stack().consumerWatermarks().table());
        assertThat(dynamo).containsOnlyKeys(arn(aggregator.aggregates()), watermarks);
        assertThat(dynamo.get(arn(aggregator.aggregates())))
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
        // issue 13: its consumer watermark, one conditional put per batch
        assertThat(dynamo.get(watermarks)).containsExactly("dynamodb:PutItem");
        assertThat(dev.properties(aggregator.role())).doesNotContainKey("ManagedPolicyArns");
    }
}
