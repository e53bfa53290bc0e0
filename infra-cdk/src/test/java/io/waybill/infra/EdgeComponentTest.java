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
                .replace("ComponentName: com.waybill.edge.ReeferMonitor\n",
                        "ComponentName: com.waybill.edge.ReeferMonitor.dev\n")
                .replace("s3://BUCKET/com.waybill.edge.ReeferMonitor/1.3.0/waybill-edge.jar", assetUrl())
                .replace("{artifacts:path}/waybill-edge.jar", "{artifacts:path}/" + objectKey);
        assertThat(inlineRecipe).isEqualTo(expected);
    }

    @Test
    void componentNameAndVersionAreTheRecipeFiles() throws Exception {
        JsonNode file = new ObjectMapper(new YAMLFactory()).readTree(recipeFile);
        JsonNode inline = new ObjectMapper(new YAMLFactory()).readTree(inlineRecipe);
        assertThat(file.path("ComponentName").asText()).isEqualTo("com.waybill.edge.ReeferMonitor");
        assertThat(inline.path("ComponentName").asText()).isEqualTo(dev.stack().edge().componentName())
                .isEqualTo("com.waybill.edge.ReeferMonitor.dev");
        assertThat(inline.path("ComponentVersion").asText()).isEqualTo(file.path("ComponentVersion").asText())
                .isEqualTo("1.3.0");
    }

    @Test
    void uploadedArtifactIsTheEdgeJar() throws Exception {
        String objectKey = dev.stack().edge().artifact().getS3ObjectKey();
        assertThat(IngestServiceTest.sha256(dev.stagedAsset(objectKey))).isEqualTo(IngestServiceTest.sha256(
                SynthesizedStacks.repoRoot().resolve(BuildArtifacts.EDGE_JAR_PATH)));
    }

    @Test
    void deploymentTargetsTheThingGroupFromContext() {
        // dev creates its own group (waybill-dev-edge, IotIngressTest) and targets it; load-test names an existing one
        assertThat(deployment.get("TargetArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(
                dev.logicalId(dev.stack().edgeThingGroup().resource().orElseThrow()), "Arn")));
        assertThat(SynthesizedStacks.loadTest().onlyProperties("AWS::GreengrassV2::Deployment").get("TargetArn").toString())
                .endsWith(":thinggroup/waybill-load-reefers]]}");
    }

    @Test
    void deploymentInstallsTheComponentVersionAndPinsTheNucleus() {
        String component = dev.logicalId(dev.stack().edge().componentVersion());
        assertThat(asMap(asMap(deployment.get("Components")).get("com.waybill.edge.ReeferMonitor.dev")))
                .containsEntry("ComponentVersion", Map.of("Fn::GetAtt", List.of(component, "ComponentVersion")));
        assertThat(asMap(asMap(deployment.get("Components")).get("aws.greengrass.Nucleus")))
                .containsEntry("ComponentVersion", EdgeComponent.NUCLEUS_VERSION);
    }

    @Test
    void nucleusSpoolsOnDiskThroughTheDiskSpoolerPlugin() throws Exception {
        // issue 12: the nucleus queued offline publishes in memory (2.5 MB by default): a power cut lost them
        JsonNode spooler = merge(deployment, "aws.greengrass.Nucleus").path("mqtt").path("spooler");
        assertThat(spooler.path("storageType").asText()).isEqualTo("Disk");
        assertThat(spooler.path("pluginName").asText()).isEqualTo("aws.greengrass.DiskSpooler");
        assertThat(spooler.path("maxSizeInBytes").asLong()).isEqualTo(16L * 1024 * 1024);
        assertThat(spooler.path("keepQos0WhenOffline").asBoolean(true)).isFalse();
        assertThat(asMap(asMap(deployment.get("Components")).get("aws.greengrass.DiskSpooler")))
                .containsEntry("ComponentVersion", "1.0.6");
    }

    /** The recipe file's default configuration, parsed here (not through EdgeComponent). */
    private static JsonNode recipeDefaults() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(recipeFile).path("ComponentConfiguration")
                .path("DefaultConfiguration");
    }

    /** The recipe's sensor topic filters: what the probes and the conveyor drives publish on. */
    private static List<String> recipeSensorTopics() throws Exception {
        JsonNode d = recipeDefaults();
        return List.of(d.path("sensorTopic").asText(), d.path("conveyor").path("sensorTopic").asText());
    }

    private static JsonNode merge(Map<String, Object> deployment, String component) throws Exception {
        Map<String, Object> spec = asMap(asMap(deployment.get("Components")).get(component));
        assertThat(spec).as(component + " configuration").containsKey("ConfigurationUpdate");
        return new ObjectMapper().readTree((String) asMap(spec.get("ConfigurationUpdate")).get("Merge"));
    }

    @Test
    void deploymentCarriesTheBrokerBridgeAuthAndIpDetectorAtPinnedVersions() {
        Map<String, Object> components = asMap(deployment.get("Components"));
        // the versions this deployment was reviewed with; a change is a deliberate edit here and in EdgeComponent
        Map<String, String> pinned = Map.of(
                "aws.greengrass.Nucleus", "2.14.0",
                "aws.greengrass.clientdevices.Auth", "2.5.5",
                "aws.greengrass.clientdevices.mqtt.Moquette", "2.3.7",
                "aws.greengrass.clientdevices.mqtt.Bridge", "2.3.2",
                "aws.greengrass.clientdevices.IPDetector", "2.1.8",
                "aws.greengrass.DiskSpooler", "1.0.6");
        assertThat(components.keySet()).containsExactlyInAnyOrder("com.waybill.edge.ReeferMonitor.dev",
                "aws.greengrass.Nucleus", "aws.greengrass.DiskSpooler", "aws.greengrass.clientdevices.Auth",
                "aws.greengrass.clientdevices.mqtt.Moquette", "aws.greengrass.clientdevices.mqtt.Bridge",
                "aws.greengrass.clientdevices.IPDetector");
        pinned.forEach((name, version) -> assertThat(asMap(components.get(name)).get("ComponentVersion"))
                .as(name).isEqualTo(version));
    }

    @Test
    void bridgeRelaysExactlyTheRecipesSensorTopicsFromTheLocalBrokerIntoLocalPubsub() throws Exception {
        JsonNode mapping = merge(deployment, "aws.greengrass.clientdevices.mqtt.Bridge").path("mqttTopicMapping");
        List<String> topics = new java.util.ArrayList<>();
        mapping.forEach(m -> {
            assertThat(m.path("source").asText()).isEqualTo("LocalMqtt");
            assertThat(m.path("target").asText()).isEqualTo("Pubsub");
            topics.add(m.path("topic").asText());
        });
        assertThat(topics).containsExactlyInAnyOrderElementsOf(recipeSensorTopics())
                .containsExactlyInAnyOrder("sensors/+/temperature", "sensors/+/vibration");
        // and the component may subscribe in local pub/sub to exactly what the bridge relays
        JsonNode pubsub = recipeDefaults().path("accessControl").path("aws.greengrass.ipc.pubsub");
        List<String> allowed = new java.util.ArrayList<>();
        pubsub.elements().next().path("resources").forEach(r -> allowed.add(r.asText()));
        assertThat(allowed).containsExactlyInAnyOrderElementsOf(topics);
    }

    @Test
    void sensorThingsMayConnectAndPublishOnlyOnTheirOwnSensorTopics() throws Exception {
        JsonNode groups = merge(deployment, "aws.greengrass.clientdevices.Auth").path("deviceGroups");
        assertThat(groups.path("formatVersion").asText()).isEqualTo("2021-03-05");
        assertThat(groups.path("definitions")).hasSize(1);
        JsonNode group = groups.path("definitions").elements().next();
        assertThat(group.path("selectionRule").asText()).isEqualTo("thingName: waybill-dev-sensor-*");
        assertThat(groups.path("policies")).hasSize(1);
        JsonNode policy = groups.path("policies").path(group.path("policyName").asText());
        java.util.Set<String> operations = new java.util.HashSet<>();
        List<String> publishResources = new java.util.ArrayList<>();
        policy.forEach(statement -> {
            statement.path("operations").forEach(o -> operations.add(o.asText()));
            List<String> ops = new java.util.ArrayList<>();
            statement.path("operations").forEach(o -> ops.add(o.asText()));
            if (ops.contains("mqtt:publish")) {
                assertThat(ops).containsExactly("mqtt:publish");
                statement.path("resources").forEach(r -> publishResources.add(r.asText()));
            }
        });
        assertThat(operations).containsExactlyInAnyOrder("mqtt:connect", "mqtt:publish");
        // each recipe topic with its sensor-id level bound to the publishing thing's own name
        List<String> expected = recipeSensorTopics().stream()
                .map(t -> "mqtt:topic:" + t.replace("+", "${iot:Connection.Thing.ThingName}")).toList();
        assertThat(publishResources).containsExactlyInAnyOrderElementsOf(expected)
                .containsExactlyInAnyOrder("mqtt:topic:sensors/${iot:Connection.Thing.ThingName}/temperature",
                        "mqtt:topic:sensors/${iot:Connection.Thing.ThingName}/vibration");
    }

    @Test
    void componentMergeSetsTheStageAndAllowsPublishingOnlyToThatStagesTopic() throws Exception {
        JsonNode devMerge = merge(deployment, "com.waybill.edge.ReeferMonitor.dev");
        assertThat(devMerge.path("stage").asText()).isEqualTo("dev");
        assertThat(publishResources(devMerge)).containsExactly("dt/waybill/dev/waybill-edge/{iot:thingName}");
        assertThat(subscribeResources(devMerge)).containsExactly("cmd/waybill/dev/{iot:thingName}/stored");

        JsonNode loadMerge = merge(SynthesizedStacks.loadTest().onlyProperties("AWS::GreengrassV2::Deployment"),
                "com.waybill.edge.ReeferMonitor.load-test");
        assertThat(loadMerge.path("stage").asText()).isEqualTo("load-test");
        assertThat(publishResources(loadMerge)).containsExactly("dt/waybill/load-test/waybill-edge/{iot:thingName}");
        assertThat(subscribeResources(loadMerge)).containsExactly("cmd/waybill/load-test/{iot:thingName}/stored");
        // the merge names the recipe's own policy, so it replaces that policy's resources instead of adding one
        assertThat(loadMerge.path("accessControl").path("aws.greengrass.ipc.mqttproxy").fieldNames().next())
                .isEqualTo(recipeDefaults().path("accessControl").path("aws.greengrass.ipc.mqttproxy")
                        .fieldNames().next());
        assertThat(loadMerge.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("stage", "accessControl", "uplink", "productClasses");
        // issue 12: the stack deploys the confirmations, so deployed cores forget a message only once the cloud
        // confirms it ("cloud", the recipe's own default), named in the merge so a core that got the earlier
        // "puback" merge is switched back
        for (JsonNode m : List.of(devMerge, loadMerge)) {
            assertThat(m.path("uplink").path("acknowledgement").asText()).isEqualTo("cloud");
            assertThat(m.path("uplink")).hasSize(1);
        }
        assertThat(recipeDefaults().path("uplink").path("acknowledgement").asText()).isEqualTo("cloud");
    }

    @Test
    void componentMergeCarriesExactlyTheCatalogFilesClassesAndNoneWithoutAFile() throws Exception {
        JsonNode loadMerge = merge(SynthesizedStacks.loadTest().onlyProperties("AWS::GreengrassV2::Deployment"),
                "com.waybill.edge.ReeferMonitor.load-test");
        JsonNode expected = new ObjectMapper().readTree(SynthesizedStacks.LOAD_TEST_PRODUCT_CLASSES)
                .path("productClasses");
        assertThat(loadMerge.path("productClasses")).isEqualTo(expected);
        // the component reads the array with ProductClassCatalog.fromEntries (EdgeComponentConfig): it accepts it
        assertThat(io.waybill.domain.coldchain.ProductClassCatalog.fromEntries(loadMerge.path("productClasses"),
                "productClasses").names()).containsExactly("ultra-frozen-80", "frozen");
        assertThat(merge(deployment, "com.waybill.edge.ReeferMonitor.dev").has("productClasses")).isFalse();
        // without a file the key is reset (a catalog merged by an earlier deployment would outlive this one), with
        // one nothing is reset
        assertThat(configurationUpdate(deployment, "com.waybill.edge.ReeferMonitor.dev"))
                .containsEntry("Reset", List.of("/productClasses"));
        assertThat(configurationUpdate(SynthesizedStacks.loadTest().onlyProperties("AWS::GreengrassV2::Deployment"),
                "com.waybill.edge.ReeferMonitor.load-test")).doesNotContainKey("Reset");
    }

    private static Map<String, Object> configurationUpdate(Map<String, Object> deployment, String component) {
        return asMap(asMap(asMap(deployment.get("Components")).get(component)).get("ConfigurationUpdate"));
    }

    private static List<String> publishResources(JsonNode merge) {
        return resources(merge, "com.waybill.edge.ReeferMonitor:mqttproxy:1", "aws.greengrass#PublishToIoTCore");
    }

    private static List<String> subscribeResources(JsonNode merge) {
        return resources(merge, "com.waybill.edge.ReeferMonitor:mqttproxy:2", "aws.greengrass#SubscribeToIoTCore");
    }

    private static List<String> resources(JsonNode merge, String policyName, String operation) {
        JsonNode policies = merge.path("accessControl").path("aws.greengrass.ipc.mqttproxy");
        assertThat(policies).hasSize(2);
        JsonNode policy = policies.path(policyName);
        List<String> ops = new java.util.ArrayList<>();
        policy.path("operations").forEach(o -> ops.add(o.asText()));
        assertThat(ops).containsExactly(operation);
        List<String> out = new java.util.ArrayList<>();
        policy.path("resources").forEach(r -> out.add(r.asText()));
        return out;
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
