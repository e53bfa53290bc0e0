package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class EdgeComponentTest {
    private static SynthesizedStacks.Synthesized dev;
    private static String recipeFile;
    /** The synthesised inline recipe, CloudFormation expressions rendered by {@link #render(Object)}. */
    private static String inlineRecipe;
    private static Map<String, Object> deployment;

    @BeforeAll
    static void synthesize() throws Exception {
        dev = SynthesizedStacks.dev();
        recipeFile = Files.readString(SynthesizedStacks.repoRoot().resolve(BuildArtifacts.EDGE_RECIPE_PATH));
        List<Object> parts = asList(asList(asMap(dev.onlyProperties("AWS::GreengrassV2::ComponentVersion")
                .get("InlineRecipe")).get("Fn::Join")).get(1));
        StringBuilder text = new StringBuilder();
        parts.forEach(p -> text.append(render(p)));
        inlineRecipe = text.toString();
        deployment = dev.onlyProperties("AWS::GreengrassV2::Deployment");
    }

    /** A literal part as is; a CloudFormation expression as its JSON, between guillemets. */
    private static String render(Object part) {
        return part instanceof String s ? s : "\u00ab" + part + "\u00bb";
    }

    private static String assetUrl() {
        return render(dev.stack().resolve(dev.stack().edge().artifact().getS3ObjectUrl()));
    }

    @Test
    void inlineRecipePointsAtTheUploadedJarInsteadOfThePlaceholderBucket() {
        String objectKey = dev.stack().edge().artifact().getS3ObjectKey();
        assertThat(assetUrl()).contains("s3://").endsWith("/" + objectKey + "}\u00bb");
        assertThat(inlineRecipe).doesNotContain("s3://BUCKET/").contains("- URI: " + assetUrl() + "\n");
    }

    @Test
    void inlineRecipeIsTheRecipeFileWithOnlyTheArtifactUriAndFileNameFilledIn() {
        String objectKey = dev.stack().edge().artifact().getS3ObjectKey();
        String expected = recipeFile
                .replace("s3://BUCKET/com.waybill.edge.ReeferMonitor/1.1.0/waybill-edge.jar", assetUrl())
                .replace("{artifacts:path}/waybill-edge.jar", "{artifacts:path}/" + objectKey);
        assertThat(inlineRecipe).isEqualTo(expected);
    }

    @Test
    void componentNameAndVersionAreTheRecipeFiles() throws Exception {
        JsonNode file = new ObjectMapper(new YAMLFactory()).readTree(recipeFile);
        JsonNode inline = new ObjectMapper(new YAMLFactory()).readTree(inlineRecipe);
        assertThat(inline.path("ComponentName").asText()).isEqualTo(file.path("ComponentName").asText())
                .isEqualTo(dev.stack().edge().componentName()).isEqualTo("com.waybill.edge.ReeferMonitor");
        assertThat(inline.path("ComponentVersion").asText()).isEqualTo(file.path("ComponentVersion").asText())
                .isEqualTo("1.1.0");
    }

    @Test
    void uploadedArtifactIsTheEdgeJar() throws Exception {
        String objectKey = dev.stack().edge().artifact().getS3ObjectKey();
        assertThat(IngestServiceTest.sha256(dev.stagedAsset(objectKey))).isEqualTo(IngestServiceTest.sha256(
                SynthesizedStacks.repoRoot().resolve(BuildArtifacts.EDGE_JAR_PATH)));
    }

    @Test
    void deploymentTargetsTheThingGroupFromContext() {
        assertThat(deployment.get("TargetArn").toString()).endsWith(":thinggroup/waybill-reefers]]}");
        assertThat(SynthesizedStacks.loadTest().onlyProperties("AWS::GreengrassV2::Deployment").get("TargetArn").toString())
                .endsWith(":thinggroup/waybill-load-reefers]]}");
    }

    @Test
    void deploymentInstallsTheComponentVersionAndPinsTheNucleus() {
        String component = dev.logicalId(dev.stack().edge().componentVersion());
        assertThat(asMap(deployment.get("Components")))
                .containsEntry("com.waybill.edge.ReeferMonitor",
                        Map.of("ComponentVersion", Map.of("Fn::GetAtt", List.of(component, "ComponentVersion"))))
                .containsEntry("aws.greengrass.Nucleus", Map.of("ComponentVersion", EdgeComponent.NUCLEUS_VERSION))
                .hasSize(2);
    }

    @Test
    void tokenExchangeRoleMayOnlyReadTheArtifactObject() {
        String role = dev.logicalId(dev.stack().tokenExchangeRole().role());
        var statements = dev.resources("AWS::IAM::Policy").values().stream().map(p -> asMap(p.get("Properties")))
                .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", role)))
                .flatMap(p -> IotIngressTest.statements(asMap(p.get("PolicyDocument"))).stream()).toList();
        assertThat(statements).singleElement().satisfies(s -> {
            assertThat(s.get("Action")).isEqualTo("s3:GetObject");
            assertThat(s.get("Resource").toString()).endsWith("/" + dev.stack().edge().artifact().getS3ObjectKey() + "]]}");
        });
        assertThat(dev.resources("AWS::IAM::Role").get(role).toString()).contains("credentials.iot.amazonaws.com");
    }

    @Test
    void corePolicyOnlyLetsTheCoreAssumeTheTokenExchangeRoleAlias() {
        var policy = asMap(dev.resources("AWS::IoT::Policy")
                .get(dev.logicalId(dev.stack().tokenExchangeRole().corePolicy())).get("Properties"));
        assertThat(IotIngressTest.statements(asMap(policy.get("PolicyDocument")))).singleElement().satisfies(s -> {
            assertThat(s.get("Action")).isEqualTo("iot:AssumeRoleWithCertificate");
            assertThat(s.get("Resource").toString()).endsWith(":rolealias/waybill-dev-greengrass-token-exchange]]}");
        });
    }
}
