package io.waybill.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageConfigTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** The load-test stage's catalog file, absolute. */
    private static final Path LOAD_TEST_CATALOG = SynthesizedStacks.repoRoot()
            .resolve("infra-cdk/src/test/resources/product-classes/load-test.json");

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
        assertThat(config.apiThrottleBurst()).isEqualTo(StageConfig.DEFAULT_API_THROTTLE_BURST).isEqualTo(50);
        assertThat(config.apiThrottleRate()).isEqualTo(StageConfig.DEFAULT_API_THROTTLE_RATE).isEqualTo(25);
        assertThat(config.breachConfirmSeconds()).isEqualTo(StageConfig.DEFAULT_BREACH_CONFIRM_SECONDS).isEqualTo(120);
        assertThat(config.breachConfirmScheduleMinutes())
                .isEqualTo(StageConfig.DEFAULT_BREACH_CONFIRM_SCHEDULE_MINUTES).isEqualTo(1);
        assertThat(config.repoRoot().resolve(BuildArtifacts.TELEMETRY_RULE_PATH)).exists();
    }

    @Test
    void everyContextKeyIsRead() {
        Map<String, Object> context = new HashMap<>(SynthesizedStacks.LOAD_TEST_CONTEXT);
        context.put("repoRoot", "/somewhere");
        // absolute, as the relative path would be read under /somewhere/infra-cdk
        context.put("productClasses", LOAD_TEST_CATALOG.toString());
        StageConfig config = fromContext(context);
        assertThat(config.stage()).isEqualTo("load-test");
        assertThat(config.resourceName("events")).isEqualTo("waybill-load-test-events");
        assertThat(config.shardCount()).contains(4);
        assertThat(config.retentionHours()).isEqualTo(48);
        assertThat(config.canonicalStreamShards()).contains(2);
        assertThat(config.iteratorAgeAlarmMinutes()).isEqualTo(5);
        assertThat(config.rawArchiveExpiryDays()).isEqualTo(730);
        assertThat(config.apiThrottleBurst()).isEqualTo(80);
        assertThat(config.apiThrottleRate()).isEqualTo(40);
        assertThat(config.alarmEmail()).contains("oncall@example.com");
        assertThat(config.thingGroupName()).isEqualTo("waybill-load-reefers");
        assertThat(config.createsThingGroup()).isFalse();
        assertThat(config.parallelizationFactor()).isEqualTo(2);
        assertThat(config.retainData()).isFalse();
        assertThat(config.productClass()).isEqualTo("ultra-frozen-80");
        assertThat(config.productClassesFile()).contains(LOAD_TEST_CATALOG);
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
        assertThatThrownBy(() -> fromContext(Map.of("apiThrottleBurst", "0")))
                .hasMessageContaining("apiThrottleBurst");
        assertThatThrownBy(() -> fromContext(Map.of("apiThrottleRate", "10001")))
                .hasMessageContaining("apiThrottleRate");
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
                "productClass", "productClasses", "breachAlarmThreshold", "exceptionAgeAlarmHours", "kpiScheduleMinutes",
                "breachConfirmSeconds", "breachConfirmScheduleMinutes", "iteratorAgeAlarmMinutes",
                "rawArchiveExpiryDays", "apiThrottleBurst", "apiThrottleRate", "legacyIdCutover", "unassignedPolicy", "replayWindow", "importRetainedData",
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

    @Test
    void catalogFileIsReadFromInfraCdkAndItsClassesJoinThePresetsUnderTheirNames() throws Exception {
        StageConfig config = fromContext(Map.of("productClasses", "src/test/resources/product-classes/load-test.json",
                "productClass", "ultra-frozen-80"));

        assertThat(config.productClassesFile()).contains(LOAD_TEST_CATALOG);
        assertThat(JSON.readTree(config.productClassesJson().orElseThrow()))
                .isEqualTo(JSON.readTree(SynthesizedStacks.LOAD_TEST_PRODUCT_CLASSES));
        // minified: no blank outside the strings
        assertThat(config.productClassesJson().orElseThrow()).doesNotContain(" ", "\n");
        assertThat(config.productClass()).isEqualTo("ultra-frozen-80");
        // the presets in their order, frozen replaced in its place, the new class at the end
        var catalog = config.productClassCatalog();
        assertThat(catalog.names()).containsExactly("vaccines-2-8", "chilled-biologics-2-8", "ambient-pharma-15-25",
                "frozen", "ultra-frozen-80");
        assertThat(catalog.require("frozen").band().highCelsius()).isEqualTo(-20.0);
        assertThat(catalog.require("frozen").policy().torBudget()).isEqualTo(java.time.Duration.ofMinutes(20));
        assertThat(catalog.require("ultra-frozen-80").band().lowCelsius()).isEqualTo(-80.0);
        // an absolute path is read as it is; a preset may stay the default with a file
        assertThat(fromContext(Map.of("productClasses", LOAD_TEST_CATALOG.toString())).productClass())
                .isEqualTo("chilled-biologics-2-8");
    }

    @Test
    void withoutCatalogFileTheStageHasThePresetsAndNoCatalogToDeploy() {
        StageConfig config = fromContext(Map.of());
        assertThat(config.productClassesFile()).isEmpty();
        assertThat(config.productClassesJson()).isEmpty();
        assertThat(config.productClassCatalog().names()).containsExactly("vaccines-2-8", "chilled-biologics-2-8",
                "ambient-pharma-15-25", "frozen");
    }

    @Test
    void defaultClassMustBeInTheStagesCatalog() {
        // a class only the file defines, without the file
        assertThatThrownBy(() -> fromContext(Map.of("productClass", "ultra-frozen-80")))
                .isInstanceOf(StageConfigException.class)
                .hasMessageContaining("productClass 'ultra-frozen-80' is not a product class of the stage's catalog")
                .hasMessageContaining("productClasses=<file>");
        // with the file: a name neither the presets nor the file hold, the known names listed
        assertThatThrownBy(() -> fromContext(Map.of("productClass", "ultra-frozen",
                "productClasses", LOAD_TEST_CATALOG.toString())))
                .isInstanceOf(StageConfigException.class)
                .hasMessageContaining("productClass 'ultra-frozen'")
                .hasMessageContaining(LOAD_TEST_CATALOG.toString())
                .hasMessageContaining("frozen, ultra-frozen-80");
    }

    @Test
    void badCatalogFileFailsNamingTheContextKeyTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path badDuration = SynthesizedStacks.repoRoot()
                .resolve("infra-cdk/src/test/resources/product-classes/bad-duration.json");
        assertThatThrownBy(() -> fromContext(Map.of("productClasses", badDuration.toString())))
                .isInstanceOf(StageConfigException.class)
                .hasMessage("context productClasses (" + badDuration + "): productClasses[0] (ultra-frozen-80)"
                        + ".torBudget: \"15 min\" is not an ISO-8601 duration such as \"PT30M\"");
        assertThatThrownBy(() -> fromContext(Map.of("productClasses", "no-such-catalog.json")))
                .isInstanceOf(StageConfigException.class)
                .hasMessageContaining("context productClasses: no file ")
                .hasMessageContaining("infra-cdk/no-such-catalog.json");
        Path notJson = Files.writeString(dir.resolve("not-json.json"), "productClasses: [frozen]");
        assertThatThrownBy(() -> fromContext(Map.of("productClasses", notJson.toString())))
                .isInstanceOf(StageConfigException.class)
                .hasMessageStartingWith("context productClasses (" + notJson + "): not JSON");
        Path misspelt = Files.writeString(dir.resolve("misspelt.json"),
                "{\"productClasses\": [{\"name\": \"deep-frozen\", \"highCelsius\": -25, \"torBudget\": \"PT10M\", "
                        + "\"hardHigh\": -15}]}");
        assertThatThrownBy(() -> fromContext(Map.of("productClasses", misspelt.toString())))
                .isInstanceOf(StageConfigException.class)
                .hasMessageStartingWith("context productClasses (" + misspelt + "): productClasses[0]")
                .hasMessageContaining("unknown key 'hardHigh'");
    }

    @Test
    void catalogOverThreeKilobytesAsMinifiedJsonFailsForLambdasEnvironmentLimit(@TempDir Path dir) throws Exception {
        // Each entry {"name":"c-NN","lowCelsius":2,"highCelsius":8,"torBudget":"PT30M"} is 66 bytes; the document
        // {"productClasses":[...]} adds 21 and n-1 commas: 20 + 67 n. 45 entries: 20 + 3015 = 3035 bytes, and the
        // first name 37 characters longer makes 3072, the limit; 38 longer, 3073. The file is written pretty (with
        // a description): only the minified classes count.
        assertThat(StageConfig.MAX_PRODUCT_CLASSES_BYTES).isEqualTo(3072);
        Path atLimit = Files.writeString(dir.resolve("at-limit.json"), catalogOf45("x".repeat(37)));
        assertThat(fromContext(Map.of("productClasses", atLimit.toString())).productClassesJson().orElseThrow())
                .hasSize(3072);
        Path over = Files.writeString(dir.resolve("over.json"), catalogOf45("x".repeat(38)));
        assertThatThrownBy(() -> fromContext(Map.of("productClasses", over.toString())))
                .isInstanceOf(StageConfigException.class)
                .hasMessageStartingWith("context productClasses (" + over + "): the catalog is 3073 bytes as minified "
                        + "JSON, more than the 3072 allowed")
                .hasMessageContaining("4 KB");
    }

    /** 45 classes c-00 .. c-44, the first named c-00 + padding; pretty-printed, with a description. */
    private static String catalogOf45(String padding) {
        StringBuilder json = new StringBuilder("{\n  \"description\": \"" + "long text ".repeat(50)
                + "\",\n  \"productClasses\": [\n");
        for (int i = 0; i < 45; i++) {
            json.append(i == 0 ? "" : ",\n").append(String.format("    {\"name\": \"c-%02d%s\", \"lowCelsius\": 2, "
                    + "\"highCelsius\": 8, \"torBudget\": \"PT30M\"}", i, i == 0 ? padding : ""));
        }
        return json.append("\n  ]\n}\n").toString();
    }

    private static StageConfig fromContext(Map<String, Object> context) {
        return StageConfig.fromContext(new App(AppProps.builder().context(new HashMap<>(context)).build()).getNode());
    }
}
