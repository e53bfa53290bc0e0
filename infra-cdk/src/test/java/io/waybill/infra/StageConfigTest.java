package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageConfigTest {

    @Test
    void noContextMeansTheDocumentedDefaults() {
        StageConfig config = fromContext(Map.of());
        assertThat(config.stage()).isEqualTo(StageConfig.DEFAULT_STAGE).isEqualTo("dev");
        assertThat(config.stackName()).isEqualTo("Waybill-dev");
        assertThat(config.shardCount()).isEmpty();
        assertThat(config.retentionHours()).isEqualTo(StageConfig.DEFAULT_RETENTION_HOURS).isEqualTo(168);
        assertThat(config.canonicalStreamShards()).isEmpty();
        assertThat(config.iteratorAgeAlarmMinutes()).isEqualTo(StageConfig.DEFAULT_ITERATOR_AGE_ALARM_MINUTES)
                .isEqualTo(15);
        assertThat(config.rawArchiveExpiryDays()).isEqualTo(StageConfig.DEFAULT_RAW_ARCHIVE_EXPIRY_DAYS).isEqualTo(400);
        assertThat(config.alarmEmail()).isEmpty();
        assertThat(config.thingGroupName()).isEqualTo("waybill-dev-edge");
        assertThat(config.createsThingGroup()).isTrue();
        assertThat(config.importRetainedData()).isFalse();
        assertThat(config.parallelizationFactor()).isEqualTo(1);
        assertThat(config.retainData()).isTrue();
        assertThat(config.productClass()).isEqualTo(StageConfig.DEFAULT_PRODUCT_CLASS).isEqualTo("chilled-biologics-2-8");
        assertThat(config.breachAlarmThreshold()).isEqualTo(3);
        assertThat(config.exceptionAgeAlarmHours()).isEqualTo(4);
        assertThat(config.kpiScheduleMinutes()).isEqualTo(StageConfig.DEFAULT_KPI_SCHEDULE_MINUTES).isEqualTo(15);
        assertThat(config.breachConfirmSeconds()).isEqualTo(StageConfig.DEFAULT_BREACH_CONFIRM_SECONDS).isEqualTo(120);
        assertThat(config.breachConfirmScheduleMinutes())
                .isEqualTo(StageConfig.DEFAULT_BREACH_CONFIRM_SCHEDULE_MINUTES).isEqualTo(1);
        assertThat(config.repoRoot().resolve(BuildArtifacts.TELEMETRY_RULE_PATH)).exists();
    }

    @Test
    void everyContextKeyIsRead() {
        Map<String, Object> context = new HashMap<>(SynthesizedStacks.LOAD_TEST_CONTEXT);
        context.put("repoRoot", "/somewhere");
        StageConfig config = fromContext(context);
        assertThat(config.stage()).isEqualTo("load-test");
        assertThat(config.resourceName("events")).isEqualTo("waybill-load-test-events");
        assertThat(config.shardCount()).contains(4);
        assertThat(config.retentionHours()).isEqualTo(48);
        assertThat(config.canonicalStreamShards()).contains(2);
        assertThat(config.iteratorAgeAlarmMinutes()).isEqualTo(5);
        assertThat(config.rawArchiveExpiryDays()).isEqualTo(730);
        assertThat(config.alarmEmail()).contains("oncall@example.com");
        assertThat(config.thingGroupName()).isEqualTo("waybill-load-reefers");
        assertThat(config.createsThingGroup()).isFalse();
        assertThat(config.parallelizationFactor()).isEqualTo(2);
        assertThat(config.retainData()).isFalse();
        assertThat(config.productClass()).isEqualTo("vaccines-2-8");
        assertThat(config.breachAlarmThreshold()).isEqualTo(5);
        assertThat(config.exceptionAgeAlarmHours()).isEqualTo(2);
        assertThat(config.kpiScheduleMinutes()).isEqualTo(30);
        assertThat(config.breachConfirmSeconds()).isEqualTo(300);
        assertThat(config.breachConfirmScheduleMinutes()).isEqualTo(5);
        assertThat(config.repoRoot()).isEqualTo(Path.of("/somewhere"));
    }

    @Test
    void zeroConfirmationDelayActsAtOnceAndTheBoundsAreAccepted() {
        assertThat(fromContext(Map.of("breachConfirmSeconds", "0")).breachConfirmSeconds()).isZero();
        assertThat(fromContext(Map.of("breachConfirmSeconds", "3600", "breachConfirmScheduleMinutes", "60")))
                .satisfies(c -> assertThat(c.breachConfirmSeconds()).isEqualTo(3600))
                .satisfies(c -> assertThat(c.breachConfirmScheduleMinutes()).isEqualTo(60));
    }

    @Test
    void retentionBoundsAreKinesisOwnAndTheOtherBoundsAreAccepted() {
        assertThat(fromContext(Map.of("retentionHours", "24")).retentionHours()).isEqualTo(24);
        assertThat(fromContext(Map.of("retentionHours", "8760")).retentionHours()).isEqualTo(8760);
        assertThat(fromContext(Map.of("iteratorAgeAlarmMinutes", "720", "rawArchiveExpiryDays", "91")))
                .satisfies(c -> assertThat(c.iteratorAgeAlarmMinutes()).isEqualTo(720))
                .satisfies(c -> assertThat(c.rawArchiveExpiryDays()).isEqualTo(91));
        assertThat(fromContext(Map.of("rawArchiveExpiryDays", "3650")).rawArchiveExpiryDays()).isEqualTo(3650);
    }

    @Test
    void numbersGivenAsJsonNumbersInCdkJsonAreReadToo() {
        assertThat(fromContext(Map.of("shardCount", 2, "retentionHours", 72)).shardCount()).contains(2);
    }

    @Test
    void invalidValuesAreRejectedWithTheKeyName() {
        assertThatThrownBy(() -> fromContext(Map.of("stage", "Prod_1"))).hasMessageContaining("stage");
        assertThatThrownBy(() -> fromContext(Map.of("shardCount", "0"))).hasMessageContaining("shardCount");
        assertThatThrownBy(() -> fromContext(Map.of("shardCount", "many"))).hasMessageContaining("shardCount");
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "12"))).hasMessageContaining("retentionHours");
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "23"))).hasMessageContaining("retentionHours");
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "8761"))).hasMessageContaining("retentionHours");
        assertThatThrownBy(() -> fromContext(Map.of("canonicalStreamShards", "0")))
                .hasMessageContaining("canonicalStreamShards");
        assertThatThrownBy(() -> fromContext(Map.of("iteratorAgeAlarmMinutes", "0")))
                .hasMessageContaining("iteratorAgeAlarmMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("iteratorAgeAlarmMinutes", "721")))
                .hasMessageContaining("iteratorAgeAlarmMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("rawArchiveExpiryDays", "90")))
                .hasMessageContaining("rawArchiveExpiryDays");
        assertThatThrownBy(() -> fromContext(Map.of("rawArchiveExpiryDays", "3651")))
                .hasMessageContaining("rawArchiveExpiryDays");
        assertThatThrownBy(() -> fromContext(Map.of("alarmEmail", "oncall"))).hasMessageContaining("alarmEmail");
        assertThatThrownBy(() -> fromContext(Map.of("retainData", "yes"))).hasMessageContaining("retainData");
        assertThatThrownBy(() -> fromContext(Map.of("parallelizationFactor", "11")))
                .hasMessageContaining("parallelizationFactor");
        assertThatThrownBy(() -> fromContext(Map.of("productClass", "chilled"))).hasMessageContaining("productClass")
                .hasMessageContaining("chilled-biologics-2-8");
        assertThatThrownBy(() -> fromContext(Map.of("breachAlarmThreshold", "0")))
                .hasMessageContaining("breachAlarmThreshold");
        assertThatThrownBy(() -> fromContext(Map.of("exceptionAgeAlarmHours", "0")))
                .hasMessageContaining("exceptionAgeAlarmHours");
        assertThatThrownBy(() -> fromContext(Map.of("exceptionAgeAlarmHours", "169")))
                .hasMessageContaining("exceptionAgeAlarmHours");
        assertThatThrownBy(() -> fromContext(Map.of("kpiScheduleMinutes", "4")))
                .hasMessageContaining("kpiScheduleMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("kpiScheduleMinutes", "1441")))
                .hasMessageContaining("kpiScheduleMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("kpiScheduleMinutes", "quarter-hour")))
                .hasMessageContaining("kpiScheduleMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("breachConfirmSeconds", "-1")))
                .hasMessageContaining("breachConfirmSeconds");
        assertThatThrownBy(() -> fromContext(Map.of("breachConfirmSeconds", "3601")))
                .hasMessageContaining("breachConfirmSeconds");
        assertThatThrownBy(() -> fromContext(Map.of("breachConfirmScheduleMinutes", "0")))
                .hasMessageContaining("breachConfirmScheduleMinutes");
        assertThatThrownBy(() -> fromContext(Map.of("breachConfirmScheduleMinutes", "61")))
                .hasMessageContaining("breachConfirmScheduleMinutes");
    }

    @Test
    void misspeltContextKeyIsAnErrorNamingTheKnownKey() {
        assertThatThrownBy(() -> fromContext(Map.of("shardcount", "4")))
                .isInstanceOf(StageConfigException.class)
                .hasMessageContaining("shardcount")
                .hasMessageContaining("did you mean shardCount?")
                .hasMessageContaining("stage, shardCount, retentionHours");
        assertThatThrownBy(() -> fromContext(Map.of("stage", "prod", "retentionHour", "48")))
                .hasMessageContaining("unknown context key retentionHour");
    }

    @Test
    void contextKeysCdkItselfSetsAreAccepted() {
        // what the CDK CLI, cdk.json's feature flags and cdk.context.json put into the context
        Map<String, Object> cdkKeys = Map.of(
                "aws:cdk:enable-path-metadata", true,
                "aws:cdk:enable-asset-metadata", true,
                "aws:cdk:version-reporting", true,
                "aws:cdk:bundling-stacks", List.of("**"),
                "@aws-cdk/aws-lambda:recognizeLayerVersion", true,
                "@aws-cdk/core:stackRelativeExports", true,
                "aws-cdk:enableDiffNoFail", "true",
                "acknowledged-issue-numbers", List.of(34892),
                "availability-zones:account=111122223333:region=eu-west-1", List.of("eu-west-1a"),
                "stage", "prod");
        assertThat(fromContext(cdkKeys).stage()).isEqualTo("prod");
    }

    @Test
    void legacyIdCutoverIsAnIsoInstantAndAbsentByDefault() {
        assertThat(fromContext(Map.of()).legacyIdCutover()).isEmpty();
        assertThat(fromContext(Map.of("legacyIdCutover", "2026-12-02T19:00:00Z")).legacyIdCutover())
                .hasValue(java.time.Instant.ofEpochSecond(1_796_238_000L)); // `date -u -d 2026-12-02T19:00:00Z +%s`
        assertThatThrownBy(() -> fromContext(Map.of("legacyIdCutover", "2026-12-02 19:00")))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("legacyIdCutover")
                .hasMessageContaining("'2026-12-02 19:00'");
    }

    @Test
    void everyDocumentedContextKeyIsKnown() {
        // the README's context table, by hand
        assertThat(StageConfig.CONTEXT_KEYS).containsExactlyInAnyOrder("stage", "shardCount", "retentionHours",
                "canonicalStreamShards", "alarmEmail", "thingGroupName", "parallelizationFactor", "retainData",
                "productClass", "breachAlarmThreshold", "exceptionAgeAlarmHours", "kpiScheduleMinutes",
                "breachConfirmSeconds", "breachConfirmScheduleMinutes", "iteratorAgeAlarmMinutes",
                "rawArchiveExpiryDays", "legacyIdCutover", "unassignedPolicy", "replayWindow", "importRetainedData",
                "repoRoot");
    }

    @Test
    void unassignedPolicyIsRejectByDefaultFlagWhenAskedAndNothingElse() {
        assertThat(fromContext(Map.of()).unassignedPolicy()).isEqualTo("reject");
        assertThat(fromContext(Map.of("unassignedPolicy", "flag")).unassignedPolicy()).isEqualTo("flag");
        assertThat(fromContext(Map.of("unassignedPolicy", "reject")).unassignedPolicy()).isEqualTo("reject");
        for (String wrong : List.of("accept", "Flag", "REJECT", "drop")) {
            assertThatThrownBy(() -> fromContext(Map.of("unassignedPolicy", wrong)))
                    .isInstanceOf(StageConfigException.class).hasMessageContaining("unassignedPolicy")
                    .hasMessageContaining("reject or flag").hasMessageContaining("'" + wrong + "'");
        }
        assertThatThrownBy(() -> fromContext(Map.of("unassignedpolicy", "flag")))
                .hasMessageContaining("did you mean unassignedPolicy?");
    }

    @Test
    void replayWindowIsLeftToTheFunctionUnlessGiven() {
        assertThat(fromContext(Map.of()).replayWindow()).isEmpty();
        assertThat(fromContext(Map.of("replayWindow", "100000")).replayWindow()).hasValue(100_000L);
        assertThatThrownBy(() -> fromContext(Map.of("replayWindow", "0"))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("replayWindow");
        assertThatThrownBy(() -> fromContext(Map.of("replayWindow", "lots"))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("replayWindow");
    }

    @Test
    void importingRetainedDataOfAStageThatRetainsNoneIsRejected() {
        assertThatThrownBy(() -> fromContext(Map.of("importRetainedData", "true", "retainData", "false")))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("importRetainedData");
    }

    @Test
    void productClassPresetsAreTheDomainsAndTheDefaultIsTheFunctionsDefault() {
        assertThat(StageConfig.PRODUCT_CLASS_PRESETS).containsExactlyElementsOf(
                io.waybill.domain.coldchain.ProductClass.presets().stream()
                        .map(io.waybill.domain.coldchain.ProductClass::name).toList());
        assertThat(StageConfig.DEFAULT_PRODUCT_CLASS)
                .isEqualTo(io.waybill.domain.coldchain.ColdChainConfig.DEFAULT_PRODUCT_CLASS.name());
    }

    @Test
    void defaultConfirmationDelayIsTheFunctionsDefault() {
        assertThat((long) StageConfig.DEFAULT_BREACH_CONFIRM_SECONDS)
                .isEqualTo(io.waybill.domain.coldchain.ColdChainConfig.DEFAULT_CONFIRM_AFTER.toSeconds());
    }

    private static StageConfig fromContext(Map<String, Object> context) {
        return StageConfig.fromContext(new App(AppProps.builder().context(new HashMap<>(context)).build()).getNode());
    }
}
