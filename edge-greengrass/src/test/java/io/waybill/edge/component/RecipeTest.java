package io.waybill.edge.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.edge.testing.Expected;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Greengrass recipe, parsed as YAML: what it allows, what it runs, and that its defaults are the code's. */
class RecipeTest {
    private static final Path RECIPE = Path.of("recipe/com.waybill.edge.ReeferMonitor-recipe.yaml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> recipe() throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(RECIPE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertThat(m).containsKey(key);
        return (Map<String, Object>) m.get(key);
    }

    private static Map<String, Object> defaults(Map<String, Object> recipe) {
        return map(map(recipe, "ComponentConfiguration"), "DefaultConfiguration");
    }

    @Test
    @SuppressWarnings("unchecked")
    void recipeAllowsPublishingOnlyToItsOwnTopic() throws Exception {
        Map<String, Object> recipe = recipe();
        assertThat(recipe.get("RecipeFormatVersion")).isEqualTo("2020-01-25");
        assertThat(recipe.get("ComponentName")).isEqualTo("com.waybill.edge.ReeferMonitor");
        Map<String, Object> acl = map(defaults(recipe), "accessControl");
        assertThat(acl).containsOnlyKeys("aws.greengrass.ipc.mqttproxy", "aws.greengrass.ipc.pubsub");

        Map<String, Object> mqttproxy = map(acl, "aws.greengrass.ipc.mqttproxy");
        assertThat(mqttproxy).hasSize(2);
        Map<String, Object> policy = (Map<String, Object>) mqttproxy.get("com.waybill.edge.ReeferMonitor:mqttproxy:1");
        // the second policy: subscribe to its own storage confirmations only, nothing else
        Map<String, Object> confirmations =
                (Map<String, Object>) mqttproxy.get("com.waybill.edge.ReeferMonitor:mqttproxy:2");
        assertThat((List<String>) confirmations.get("operations")).containsExactly("aws.greengrass#SubscribeToIoTCore");
        List<String> confirmationTopics = (List<String>) confirmations.get("resources");
        assertThat(confirmationTopics).containsExactly("cmd/waybill/dev/{iot:thingName}/stored");
        assertThat(confirmationTopics.get(0).replace("{iot:thingName}", "reefer-42")).isEqualTo(
                EdgeComponentConfig.builder("reefer-42", Expected.SSCC).build().confirmationTopic());
        assertThat((List<String>) policy.get("operations")).containsExactly("aws.greengrass#PublishToIoTCore");
        List<String> resources = (List<String>) policy.get("resources");
        assertThat(resources).containsExactly("dt/waybill/dev/waybill-edge/{iot:thingName}");
        // the resource, interpolated for a thing, is exactly the topic the component publishes on
        EdgeComponentConfig config = EdgeComponentConfig.builder("reefer-42", Expected.SSCC).build();
        assertThat(resources.get(0).replace("{iot:thingName}", "reefer-42")).isEqualTo(config.uplinkTopic());
        assertThat(resources.get(0)).doesNotContain("*", "#", "+");

        // local pub/sub: subscribe to the sensor topics only (probes and conveyor drives), never publish
        Map<String, Object> pubsub = map(acl, "aws.greengrass.ipc.pubsub");
        assertThat(pubsub).hasSize(1);
        Map<String, Object> sensors = (Map<String, Object>) pubsub.values().iterator().next();
        assertThat((List<String>) sensors.get("operations")).containsExactly("aws.greengrass#SubscribeToTopic");
        assertThat((List<String>) sensors.get("resources"))
                .containsExactly(config.sensorTopic(), config.conveyor().sensorTopic());
    }

    @Test
    @SuppressWarnings("unchecked")
    void recipeRunsTheShadedJarWithItsThingNameAndWorkDirectory() throws Exception {
        Map<String, Object> recipe = recipe();
        List<Map<String, Object>> manifests = (List<Map<String, Object>>) recipe.get("Manifests");
        assertThat(manifests).hasSize(1);
        Map<String, Object> run = map(map(manifests.get(0), "Lifecycle"), "Run");
        String script = (String) run.get("Script");
        assertThat(script).startsWith("java -Xmx48m ").contains("-jar {artifacts:path}/waybill-edge.jar",
                "--greengrass", "--thing-name {iot:thingName}", "--spool-dir {work:path}/spool");
        // every option in the Run script is one Main accepts
        List<String> args = List.of(script.substring(script.indexOf("waybill-edge.jar") + 16).trim().split("\\s+"));
        assertThat(Main.parse(args.toArray(String[]::new))).containsKeys("greengrass", "thing-name", "spool-dir");
        List<Map<String, Object>> artifacts = (List<Map<String, Object>>) manifests.get(0).get("Artifacts");
        assertThat((String) artifacts.get(0).get("URI")).startsWith("s3://").endsWith("/waybill-edge.jar");
    }

    @Test
    void recipeDependsSoftlyOnTheMqttBridgeThatRelaysItsSensorTopics() throws Exception {
        Map<String, Object> deps = map(recipe(), "ComponentDependencies");
        assertThat(deps).containsOnlyKeys("aws.greengrass.Nucleus", "aws.greengrass.clientdevices.mqtt.Bridge");
        Map<String, Object> bridge = map(deps, "aws.greengrass.clientdevices.mqtt.Bridge");
        assertThat(bridge).containsEntry("DependencyType", "SOFT").containsEntry("VersionRequirement",
                ">=2.2.0 <3.0.0");
    }

    @Test
    void recipeDefaultsEqualTheComponentConfigDefaults() throws Exception {
        ObjectNode json = new ObjectMapper().valueToTree(defaults(recipe()));
        assertThat(json.get("thingName").asText()).isEqualTo("{iot:thingName}");
        assertThat(json.get("shipmentSscc").asText()).isEmpty();
        assertThat(json.get("stage").asText()).isEqualTo("dev");
        // no shipment by default: a valid configuration of a component that waits for its assignment
        assertThat(EdgeComponentConfig.fromJson(json, "reefer-42", null).assigned()).isFalse();

        EdgeComponentConfig fromRecipe = EdgeComponentConfig.fromJson(json, "reefer-42", Expected.SSCC);

        assertThat(fromRecipe).isEqualTo(EdgeComponentConfig.builder("reefer-42", Expected.SSCC).build());
    }
}
