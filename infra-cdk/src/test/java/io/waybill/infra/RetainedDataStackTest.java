package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redeploy-after-destroy path (issue 9, item 6; README "Redeploy a stage after a destroy"): {@code cdk import}
 * with {@code -c importRetainedData=true} and the resource mapping {@code infra-cdk/import/retained-resources.json},
 * then {@code cdk deploy}. Breaks if a retained resource's logical id moves, if the import template would create
 * anything, or if the mapping names other resources than the ones the stack retains.
 */
class RetainedDataStackTest {
    private static Map<String, Object> importResources;
    private static Map<String, Object> fullResources;
    private static JsonNode mapping;
    private static software.amazon.awscdk.Stack importStack;

    @BeforeAll
    static void synthesize() throws Exception {
        Map<String, Object> context = new HashMap<>(Map.of("stage", "prod", "importRetainedData", "true"));
        App app = new App(AppProps.builder().outdir(SynthesizedStacks.outdir("import-prod").toString())
                .context(context).build());
        var stack = WaybillApp.composeStage(app, Map.of());
        importStack = stack;
        assertThat(stack).isInstanceOf(RetainedDataStack.class);
        assertThat(stack.getStackName()).isEqualTo("Waybill-prod");
        importResources = asMap(asMap(Template.fromStack(stack).toJSON()).get("Resources"));
        fullResources = asMap(asMap(SynthesizedStacks.dev().template().toJSON()).get("Resources"));
        mapping = new ObjectMapper().readTree(SynthesizedStacks.repoRoot().resolve("infra-cdk/import/retained-resources.json").toFile());
    }

    @Test
    void importTemplateHoldsExactlyTheResourcesTheMappingImports() {
        Map<String, String> types = new TreeMap<>();
        importResources.forEach((id, r) -> types.put(id, asMap(r).get("Type").toString()));
        types.remove("CDKMetadata"); // cdk import drops it
        Map<String, String> expected = new TreeMap<>();
        mapping.fieldNames().forEachRemaining(id -> expected.put(id, mapping.get(id).has("KeyId") ? "AWS::KMS::Key"
                : mapping.get(id).has("BucketName") ? "AWS::S3::Bucket" : "AWS::DynamoDB::Table"));
        assertThat(types).isEqualTo(expected);
        // events, shipments, exposure, incidents, compliance, devices (issue 11)
        assertThat(types.values()).filteredOn("AWS::DynamoDB::Table"::equals).hasSize(6);
        // event store, cold-chain store, raw archive, dead-letter payloads, device registry
        assertThat(types.values()).filteredOn("AWS::KMS::Key"::equals).hasSize(5);
        // raw archive, dead-letter payloads (issue 10); their TLS-only policies come back with the deploy
        assertThat(types.values()).filteredOn("AWS::S3::Bucket"::equals).hasSize(2);
        assertThat(types.values()).doesNotContain("AWS::S3::BucketPolicy", "AWS::KMS::Alias");
    }

    @Test
    void everyImportedResourceIsRetainedAndHasTheFullStacksLogicalIdAndType() {
        mapping.fieldNames().forEachRemaining(id -> {
            Map<String, Object> imported = asMap(importResources.get(id));
            Map<String, Object> full = asMap(fullResources.get(id));
            assertThat(full).as(id + " in the full stack").isNotNull();
            assertThat(imported.get("Type")).isEqualTo(full.get("Type"));
            assertThat(imported.get("DeletionPolicy")).isEqualTo("Retain").isEqualTo(full.get("DeletionPolicy"));
            assertThat(imported.get("UpdateReplacePolicy")).isEqualTo("Retain");
        });
    }

    @Test
    void mappedTableNamesAreTheTablesOfTheStage() {
        mapping.fieldNames().forEachRemaining(id -> {
            JsonNode identifier = mapping.get(id);
            if (identifier.has("TableName")) {
                assertThat(asMap(asMap(importResources.get(id)).get("Properties")).get("TableName"))
                        .isEqualTo(identifier.get("TableName").asText().replace("${STAGE}", "prod"));
            }
        });
    }

    @Test
    void mappedBucketNamesAreTheBucketsOfTheStageInTheAccountAndRegion() {
        mapping.fieldNames().forEachRemaining(id -> {
            JsonNode identifier = mapping.get(id);
            if (identifier.has("BucketName")) {
                // waybill-${STAGE}-<part>-${ACCOUNT}-${REGION} against Fn::Join ["", [waybill-prod-<part>-, account, -, region]]
                String[] named = identifier.get("BucketName").asText().replace("${STAGE}", "prod")
                        .split("\\$\\{ACCOUNT\\}|\\$\\{REGION\\}", -1);
                assertThat(asMap(asMap(importResources.get(id)).get("Properties")).get("BucketName"))
                        .isEqualTo(Map.of("Fn::Join", java.util.List.of("", java.util.List.of(named[0],
                                Map.of("Ref", "AWS::AccountId"), named[1], Map.of("Ref", "AWS::Region")))));
                assertThat(named[2]).isEmpty();
            }
        });
    }

    @Test
    void importTemplateHasNoUnsuppressedCdkNagFinding() {
        // a cdk-nag error would fail the synth that cdk import runs
        var annotations = software.amazon.awscdk.assertions.Annotations.fromStack(importStack);
        var matcher = software.amazon.awscdk.assertions.Match.stringLikeRegexp("AwsSolutions-.*");
        assertThat(annotations.findError("*", matcher)).isEmpty();
        assertThat(annotations.findWarning("*", matcher)).isEmpty();
    }

    @Test
    void importedTablesAndBucketsAreConfiguredAsTheFullStackConfiguresThem() {
        // the follow-up cdk deploy must not replace or re-key an imported table or bucket: same properties but the names
        mapping.fieldNames().forEachRemaining(id -> {
            if (mapping.get(id).has("TableName") || mapping.get(id).has("BucketName")) {
                // whole words only: the stage "dev" is not the "dev" of waybill-<stage>-devices
                String imported = asMap(importResources.get(id)).get("Properties").toString()
                        .replaceAll("\\bprod\\b", "STAGE");
                String full = asMap(fullResources.get(id)).get("Properties").toString()
                        .replaceAll("\\bdev\\b", "STAGE");
                assertThat(imported).isEqualTo(full);
            }
        });
    }

    @Test
    void importedEventsTableComesBackAppendOnly() {
        // A retained table keeps its resource policy after a destroy; the import template declares the same one, so
        // the import adopts the table as it is and the follow-up deploy changes nothing about who may write it.
        mapping.fieldNames().forEachRemaining(id -> {
            Object tableName = mapping.get(id).path("TableName").asText();
            if ("waybill-${STAGE}-events".equals(tableName)) {
                assertThat(asMap(asMap(importResources.get(id)).get("Properties")).get("ResourcePolicy").toString())
                        .contains("Effect=Deny", "Principal=*", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                                ":table/waybill-prod-events");
            }
        });
        assertThat(mapping.toString()).contains("waybill-${STAGE}-events");
    }
}
