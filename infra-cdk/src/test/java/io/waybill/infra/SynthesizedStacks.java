package io.waybill.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stack variants the tests assert on, each synthesised once per test JVM (jsii synthesis takes seconds):
 * {@link #dev()} with no context at all, {@link #loadTest()} with every context key set. Both go through
 * {@link WaybillApp#compose}, so they carry the cdk-nag checks the real app runs.
 */
final class SynthesizedStacks {
    /** Context of {@link #loadTest()}. */
    static final Map<String, Object> LOAD_TEST_CONTEXT = Map.ofEntries(
            Map.entry("stage", "load-test"),
            Map.entry("shardCount", "4"),
            Map.entry("retentionHours", "48"),
            Map.entry("canonicalStreamShards", "2"),
            Map.entry("alarmEmail", "oncall@example.com"),
            Map.entry("thingGroupName", "waybill-load-reefers"),
            Map.entry("parallelizationFactor", "2"),
            Map.entry("retainData", "false"),
            Map.entry("productClass", "ultra-frozen-80"),
            Map.entry("productClasses", "src/test/resources/product-classes/load-test.json"),
            Map.entry("breachAlarmThreshold", "5"),
            Map.entry("exceptionAgeAlarmHours", "2"),
            Map.entry("kpiScheduleMinutes", "30"),
            Map.entry("breachConfirmSeconds", "300"),
            Map.entry("breachConfirmScheduleMinutes", "5"),
            Map.entry("iteratorAgeAlarmMinutes", "5"),
            Map.entry("rawArchiveExpiryDays", "730"),
            Map.entry("apiThrottleBurst", "80"),
            Map.entry("apiThrottleRate", "40"),
            Map.entry("legacyIdCutover", "2026-12-02T19:00:00Z"),
            Map.entry("unassignedPolicy", "flag"),
            Map.entry("replayWindow", "100000"));

    /**
     * The load-test catalog file's classes, written out by hand from {@code product-classes/load-test.json}: what the
     * deciding functions' {@code WAYBILL_PRODUCT_CLASSES} and the edge component's {@code productClasses} must hold
     * (the description left out, nothing added).
     */
    static final String LOAD_TEST_PRODUCT_CLASSES = """
            {"productClasses": [
              {"name": "ultra-frozen-80", "lowCelsius": -80, "highCelsius": -60, "torBudget": "PT15M",
               "hardHighCelsius": -50, "maxInterpolationGap": "PT10M"},
              {"name": "frozen", "highCelsius": -20, "torBudget": "PT20M", "hardHighCelsius": -10,
               "unknownTimeCounts": true}
            ]}""";

    private static Synthesized dev;
    private static Synthesized loadTest;

    private SynthesizedStacks() {
    }

    static synchronized Synthesized dev() {
        if (dev == null) {
            dev = synthesize("dev", Map.of());
        }
        return dev;
    }

    static synchronized Synthesized loadTest() {
        if (loadTest == null) {
            loadTest = synthesize("load-test", LOAD_TEST_CONTEXT);
        }
        return loadTest;
    }

    static Path repoRoot() {
        return StageConfig.locateRepoRoot();
    }

    private static Synthesized synthesize(String name, Map<String, Object> context) {
        Path outdir = outdir(name);
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(new HashMap<>(context)).build());
        WaybillStack stack = WaybillApp.compose(app, Map.of());
        CloudAssembly assembly = app.synth();
        return new Synthesized(app, stack, Template.fromStack(stack), assembly, outdir);
    }

    /** An empty {@code target/cdk-test-out/<name>} (staged jars are ~30 MB a synth; mvn clean removes them). */
    static Path outdir(String name) {
        Path dir = Path.of("target", "cdk-test-out", name);
        try {
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Synthesized(App app, WaybillStack stack, Template template, CloudAssembly assembly, Path outdir) {

        /** The file staged as the asset whose object key is {@code objectKey} (what cdk deploy uploads). */
        Path stagedAsset(String objectKey) {
            try {
                var manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(outdir.resolve(stack.getStackName() + ".assets.json").toFile());
                var file = manifest.path("files").path(objectKey.substring(0, objectKey.indexOf('.')));
                return outdir.resolve(file.path("source").path("path").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Resources of one type: logical id -> resource (Type, Properties, ...). */
        Map<String, Map<String, Object>> resources(String type) {
            return template.findResources(type).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> asMap(e.getValue())));
        }

        /** The only resource of a type, its Properties. */
        Map<String, Object> onlyProperties(String type) {
            Map<String, Map<String, Object>> found = resources(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type + ", found " + found.keySet());
            }
            return asMap(found.values().iterator().next().get("Properties"));
        }

        /** A construct's CloudFormation resource (Type, Properties, DeletionPolicy, ...). */
        Map<String, Object> resource(software.constructs.IConstruct construct) {
            Object found = asMap(asMap(template.toJSON()).get("Resources")).get(logicalId(construct));
            if (found == null) {
                throw new AssertionError("no resource " + logicalId(construct));
            }
            return asMap(found);
        }

        /** A construct's CloudFormation resource, its Properties. */
        Map<String, Object> properties(software.constructs.IConstruct construct) {
            return asMap(resource(construct).get("Properties"));
        }

        /** The event source mapping that invokes {@code alias}: its Properties. */
        Map<String, Object> mappingOn(software.amazon.awscdk.services.lambda.Alias alias) {
            String aliasId = logicalId(alias);
            var found = resources("AWS::Lambda::EventSourceMapping").values().stream()
                    .map(r -> asMap(r.get("Properties")))
                    .filter(p -> p.get("FunctionName").toString().contains("Ref=" + aliasId))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one event source mapping on " + aliasId + ", found " + found);
            }
            return found.get(0);
        }

        /**
         * Every statement of the inline policies attached to {@code role}, each as {@code Action} and
         * {@code Resource} lists (CloudFormation allows either a value or a list).
         */
        List<Statement> policyStatements(software.amazon.awscdk.services.iam.IRole role) {
            Map<String, String> roleRef = Map.of("Ref", logicalId(role));
            return resources("AWS::IAM::Policy").values().stream().map(r -> asMap(r.get("Properties")))
                    .filter(p -> asList(p.get("Roles")).contains(roleRef))
                    .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                    .map(SynthesizedStacks::asMap)
                    .map(st -> new Statement(st.get("Effect").toString(),
                            listOf(st.get("Action")).stream().map(Object::toString).toList(),
                            listOf(st.get("Resource"))))
                    .toList();
        }

        /** The logical id of a construct's CloudFormation resource. */
        String logicalId(software.constructs.IConstruct construct) {
            software.constructs.IConstruct resource = construct.getNode().getDefaultChild() != null
                    ? construct.getNode().getDefaultChild() : construct;
            return stack.resolve(((software.amazon.awscdk.CfnElement) resource).getLogicalId()).toString();
        }
    }

    /** One IAM policy statement. */
    record Statement(String effect, List<String> actions, List<Object> resources) {
    }

    private static List<Object> listOf(Object valueOrList) {
        return valueOrList instanceof List<?> ? asList(valueOrList) : List.of(valueOrList);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    /** A synthesised {@code AWS::DynamoDB::Table}'s Properties: its attribute definitions, name to type. */
    static Map<String, String> attributeTypes(Map<String, Object> table) {
        return asList(table.get("AttributeDefinitions")).stream().map(SynthesizedStacks::asMap)
                .collect(Collectors.toMap(a -> a.get("AttributeName").toString(), a -> a.get("AttributeType").toString()));
    }

    /** A synthesised table's or index's {@code KeySchema}: attribute name to key type. */
    static Map<String, String> keyTypes(List<Object> keySchema) {
        return keySchema.stream().map(SynthesizedStacks::asMap)
                .collect(Collectors.toMap(k -> k.get("AttributeName").toString(), k -> k.get("KeyType").toString()));
    }
}
