package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.greengrassv2.CfnComponentVersion;
import software.amazon.awscdk.services.greengrassv2.CfnDeployment;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reefer monitor as a Greengrass v2 component version, and the deployment that runs it on a core as it is: the
 * component (with its stage merged in), the local MQTT broker, the MQTT bridge that relays the sensors' topics into
 * local pub/sub, client-device auth for the stage's sensor things and the IP detector, each at a pinned version.
 * The sensor topics of the bridge mapping and of the sensors' policy are read from the recipe's default
 * configuration ({@code sensorTopic}, {@code conveyor.sensorTopic}), never retyped. The recipe is
 * {@code edge-greengrass/recipe/com.waybill.edge.ReeferMonitor-recipe.yaml} as written, with three substitutions:
 * <ol>
 * <li>the component name gets the stage, {@code com.waybill.edge.ReeferMonitor.<stage>}: a component version's name
 * and version are account-wide and immutable, so two stages in one account deploying the same name and version would
 * collide (the second stack's create fails with a conflict, and deleting either stack would delete the other's
 * component);</li>
 * <li>the artifact's placeholder URI {@code s3://BUCKET/...} becomes the S3 URL of the uploaded jar (a CDK asset);</li>
 * <li>the lifecycle's {@code {artifacts:path}/waybill-edge.jar} becomes {@code {artifacts:path}/<asset file name>},
 * because Greengrass names a downloaded artifact after the last segment of its URI, and an asset's object key is
 * its content hash ({@code <sha256>.jar}).</li>
 * </ol>
 */
public final class EdgeComponent extends Construct {
    /** The placeholder bucket of the recipe's artifact URI. */
    public static final String PLACEHOLDER_URI_PREFIX = "s3://BUCKET/";
    /**
     * Greengrass nucleus version the deployment pins (and so updates cores to): 2.14.0, the recipe accepts any
     * 2.6 <= v < 3. Pinned so a deployment is reproducible; raise deliberately after reading the nucleus changelog.
     */
    public static final String NUCLEUS_VERSION = "2.14.0";
    public static final String NUCLEUS_COMPONENT = "aws.greengrass.Nucleus";
    /**
     * The disk spooler plugin 1.0.6 (its docs: nucleus >= 2.11.0 < 2.16.0 as a hard dependency): with the nucleus'
     * {@code mqtt.spooler.storageType: Disk} the nucleus keeps the QoS 1 messages it has not yet sent to IoT Core on
     * disk instead of in memory, so a power cut of an offline core loses none of them.
     */
    public static final String DISK_SPOOLER_COMPONENT = "aws.greengrass.DiskSpooler";
    public static final String DISK_SPOOLER_VERSION = "1.0.6";
    /**
     * The nucleus spooler's bound: 16 MiB, the size of the component's own spool (the nucleus default is 2.5 MB in
     * memory). The component keeps every message until the cloud confirms it, so the nucleus spool is a second line,
     * not the only one.
     */
    public static final long NUCLEUS_SPOOLER_MAX_BYTES = 16L * 1024 * 1024;
    /**
     * The component's {@code uplink.acknowledgement} on deployed cores: {@code cloud}, a spooled message is forgotten
     * only once the stack's edge acknowledgement functions ({@link EdgeAcknowledgement}) confirm it stored (or settled
     * in the dead-letter queue). Merged explicitly although it is the recipe's default: a merged value outlives later
     * deployments that do not name it, so cores that got the earlier {@code puback} merge would otherwise keep it.
     */
    public static final String UPLINK_ACKNOWLEDGEMENT = "cloud";
    /**
     * Reset when the stage names no product class catalog file: a merged {@code productClasses} outlives later
     * deployments that do not name it, so a stage that drops its {@code productClasses} context would otherwise leave
     * cores judging by the old classes while the cloud judges by the presets. Reset, the key takes the recipe's
     * default: none, the default catalog.
     */
    public static final String PRODUCT_CLASSES_RESET = "/productClasses";

    /** Client device auth 2.5.5: policy variables and the 2021-03-05 device group format. */
    public static final String AUTH_COMPONENT = "aws.greengrass.clientdevices.Auth";
    public static final String AUTH_VERSION = "2.5.5";
    /** Moquette 2.3.7: the MQTT 3.1.1 broker for client devices, TLS on 8883 with certificates from the auth. */
    public static final String BROKER_COMPONENT = "aws.greengrass.clientdevices.mqtt.Moquette";
    public static final String BROKER_VERSION = "2.3.7";
    /** MQTT bridge 2.3.2 (the recipe accepts >= 2.2.0 < 3). */
    public static final String BRIDGE_COMPONENT = "aws.greengrass.clientdevices.mqtt.Bridge";
    public static final String BRIDGE_VERSION = "2.3.2";
    /** IP detector 2.1.8: reports the core's addresses so sensors find the broker through discovery. */
    public static final String IP_DETECTOR_COMPONENT = "aws.greengrass.clientdevices.IPDetector";
    public static final String IP_DETECTOR_VERSION = "2.1.8";
    /** The client-device auth policy variable a sensor's own thing name stands in (for the topics' {@code +}). */
    public static final String THING_NAME_POLICY_VARIABLE = "${iot:Connection.Thing.ThingName}";
    /** The device group of the stage's sensor things in the client-device auth configuration. */
    public static final String SENSOR_DEVICE_GROUP = "WaybillSensors";
    public static final String SENSOR_POLICY = "WaybillSensorPublish";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Asset artifact;
    private final CfnComponentVersion componentVersion;
    private final CfnDeployment deployment;
    private final String componentName;
    private final String version;
    private final List<String> sensorTopics;
    private final String sensorThingNames;

    /**
     * @param targetArn the deployment's target: the ARN of the stage's thing group of cores (see
     *                  {@link #thingGroupArn(String)}) or of one core device's thing
     */
    public EdgeComponent(Construct scope, String id, StageConfig config, String targetArn, Path recipeFile,
                         Path edgeJar, GreengrassTokenExchangeRole tokenExchangeRole) {
        super(scope, id);
        String recipe = BuildArtifacts.read(recipeFile);
        JsonNode parsed = parseYaml(recipe, recipeFile);
        String recipeName = parsed.path("ComponentName").asText();
        this.componentName = stageComponentName(recipeName, config.stage());
        this.version = parsed.path("ComponentVersion").asText();
        String placeholderUri = placeholderUri(parsed, recipeFile);
        String artifactFileName = placeholderUri.substring(placeholderUri.lastIndexOf('/') + 1);

        this.artifact = Asset.Builder.create(this, "Artifact")
                .path(BuildArtifacts.requireFile(edgeJar,
                        "build it with: mvn -B install -DskipTests -pl edge-greengrass -am").toString())
                .build();
        String objectKey = artifact.getS3ObjectKey();
        if (Token.isUnresolved(objectKey)) {
            throw new IllegalStateException("the edge artifact's object key is not known at synth time; "
                    + "EdgeComponent needs a synthesizer that names assets by content hash");
        }
        String runPath = "{artifacts:path}/" + artifactFileName;
        if (!recipe.contains(runPath)) {
            throw new IllegalArgumentException(recipeFile + " does not run " + runPath);
        }
        String nameLine = "ComponentName: " + recipeName + "\n";
        if (!recipe.contains(nameLine)) {
            throw new IllegalArgumentException(recipeFile + " has no line '" + nameLine.strip() + "'");
        }
        String inlineRecipe = recipe
                .replace(nameLine, "ComponentName: " + componentName + "\n")
                .replace(placeholderUri, artifact.getS3ObjectUrl())
                .replace(runPath, "{artifacts:path}/" + objectKey.substring(objectKey.lastIndexOf('/') + 1));
        tokenExchangeRole.allowArtifactDownload(artifact.getBucket().arnForObjects(objectKey));

        this.componentVersion = CfnComponentVersion.Builder.create(this, "Component")
                .inlineRecipe(inlineRecipe)
                .build();
        JsonNode defaults = parsed.path("ComponentConfiguration").path("DefaultConfiguration");
        this.sensorTopics = sensorTopics(defaults, recipeFile);
        this.sensorThingNames = config.resourceName("sensor") + "-*";
        Map<String, Object> components = new LinkedHashMap<>();
        components.put(componentName, spec(componentVersion.getAttrComponentVersion(),
                componentMerge(defaults, config, recipeFile),
                config.productClassesJson().isPresent() ? List.of() : List.of(PRODUCT_CLASSES_RESET)));
        components.put(NUCLEUS_COMPONENT, spec(NUCLEUS_VERSION, nucleusMerge()));
        components.put(DISK_SPOOLER_COMPONENT, spec(DISK_SPOOLER_VERSION, null));
        components.put(AUTH_COMPONENT, spec(AUTH_VERSION, authMerge(sensorThingNames, sensorTopics)));
        components.put(BROKER_COMPONENT, spec(BROKER_VERSION, null));
        components.put(BRIDGE_COMPONENT, spec(BRIDGE_VERSION, bridgeMerge(sensorTopics)));
        components.put(IP_DETECTOR_COMPONENT, spec(IP_DETECTOR_VERSION, null));
        this.deployment = CfnDeployment.Builder.create(this, "Deployment")
                .deploymentName(config.resourceName("reefers"))
                .targetArn(targetArn)
                .components(components)
                .build();
    }

    /** {@code <recipe's component name>.<stage>}: the name this stage's component version is registered under. */
    public static String stageComponentName(String recipeComponentName, String stage) {
        return recipeComponentName + "." + stage;
    }

    private static CfnDeployment.ComponentDeploymentSpecificationProperty spec(String version, ObjectNode merge) {
        return spec(version, merge, List.of());
    }

    private static CfnDeployment.ComponentDeploymentSpecificationProperty spec(String version, ObjectNode merge,
                                                                             List<String> reset) {
        var b = CfnDeployment.ComponentDeploymentSpecificationProperty.builder().componentVersion(version);
        if (merge != null) {
            var update = CfnDeployment.ComponentConfigurationUpdateProperty.builder().merge(merge.toString());
            if (!reset.isEmpty()) {
                update.reset(reset);
            }
            b.configurationUpdate(update.build());
        }
        return b.build();
    }

    /** The recipe's sensor topic filters: {@code sensorTopic} and, when conveyors are on, {@code conveyor.sensorTopic}. */
    private static List<String> sensorTopics(JsonNode defaults, Path file) {
        List<String> topics = new ArrayList<>();
        String temperature = defaults.path("sensorTopic").asText("");
        if (temperature.isEmpty()) {
            throw new IllegalArgumentException(file + " has no DefaultConfiguration.sensorTopic");
        }
        topics.add(temperature);
        String conveyor = defaults.path("conveyor").path("sensorTopic").asText("");
        if (!conveyor.isEmpty()) {
            topics.add(conveyor);
        }
        return List.copyOf(topics);
    }

    /**
     * The nucleus' MQTT spooler on disk ({@code mqtt.spooler}: {@code storageType Disk} through the
     * {@value #DISK_SPOOLER_COMPONENT} plugin, {@code maxSizeInBytes} {@value #NUCLEUS_SPOOLER_MAX_BYTES}, QoS 0 not
     * kept: the component publishes QoS 1 only). Keys as the nucleus and disk spooler documentation give them.
     */
    static ObjectNode nucleusMerge() {
        ObjectNode merge = JSON.createObjectNode();
        merge.putObject("mqtt").putObject("spooler")
                .put("storageType", "Disk")
                .put("pluginName", DISK_SPOOLER_COMPONENT)
                .put("maxSizeInBytes", NUCLEUS_SPOOLER_MAX_BYTES)
                .put("keepQos0WhenOffline", false);
        return merge;
    }

    /**
     * The component's merge: the deployment's {@code stage} and the recipe's IPC MQTT proxy policies with their
     * resources moved to that stage: {@code PublishToIoTCore} on {@code dt/waybill/<stage>/waybill-edge/{iot:thingName}}
     * and {@code SubscribeToIoTCore} on {@code cmd/waybill/<stage>/{iot:thingName}/stored}, so the component may
     * publish on its own stage's topic and receive its own storage confirmations only. Lists are replaced by a merge,
     * so the recipe's default stage's resources do not stay. When the stage names a product class catalog file
     * ({@link StageConfig#productClassesJson()}), its classes as {@code productClasses}: the same entries the
     * cold-chain functions get in {@code WAYBILL_PRODUCT_CLASSES}, so the edge's band and sample gap for a class are
     * the cloud's.
     */
    private static ObjectNode componentMerge(JsonNode defaults, StageConfig config, Path file) {
        String stage = config.stage();
        String recipeStage = defaults.path("stage").asText("");
        JsonNode mqttproxy = defaults.path("accessControl").path("aws.greengrass.ipc.mqttproxy");
        if (recipeStage.isEmpty() || mqttproxy.size() == 0) {
            throw new IllegalArgumentException(file + " needs DefaultConfiguration.stage and its "
                    + "aws.greengrass.ipc.mqttproxy policies");
        }
        ObjectNode policies = ((ObjectNode) mqttproxy).deepCopy();
        List<String> from = List.of("dt/waybill/" + recipeStage + "/", "cmd/waybill/" + recipeStage + "/");
        policies.elements().forEachRemaining(p -> {
            ObjectNode policy = (ObjectNode) p;
            var resources = JSON.createArrayNode();
            policy.path("resources").forEach(r -> {
                String prefix = from.stream().filter(r.asText()::startsWith).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(file + ": IoT Core resource " + r.asText()
                                + " is not on the recipe stage's topics " + from));
                resources.add(prefix.replace("/" + recipeStage + "/", "/" + stage + "/")
                        + r.asText().substring(prefix.length()));
            });
            policy.set("resources", resources);
        });
        ObjectNode merge = JSON.createObjectNode().put("stage", stage);
        merge.putObject("accessControl").set("aws.greengrass.ipc.mqttproxy", policies);
        // The stack deploys the edge acknowledgement functions (EdgeAcknowledgement): cores forget a message only when
        // the cloud confirms it stored (or dead-lettered) it. Named explicitly: cores deployed before with the
        // "puback" merge keep a merged value until a deployment merges another one (or resets the key).
        merge.putObject("uplink").put("acknowledgement", UPLINK_ACKNOWLEDGEMENT);
        config.productClassesJson().ifPresent(json -> merge.set("productClasses", productClassEntries(json)));
        return merge;
    }

    /** The {@code productClasses} array of a catalog document (already validated by {@link StageConfig}). */
    private static JsonNode productClassEntries(String catalogJson) {
        try {
            return JSON.readTree(catalogJson).get("productClasses");
        } catch (IOException e) {
            throw new UncheckedIOException("the stage's product class catalog is not JSON", e);
        }
    }

    /**
     * Client-device auth: the stage's sensor things ({@code waybill-<stage>-sensor-*}) may connect and publish on the
     * recipe's sensor topics with the {@code +} (the sensor id) bound to their own thing name, nothing else: a probe
     * cannot publish readings in another probe's name, and nothing may subscribe.
     */
    private static ObjectNode authMerge(String sensorThingNames, List<String> topics) {
        ObjectNode groups = JSON.createObjectNode().put("formatVersion", "2021-03-05");
        groups.putObject("definitions").putObject(SENSOR_DEVICE_GROUP)
                .put("selectionRule", "thingName: " + sensorThingNames).put("policyName", SENSOR_POLICY);
        ObjectNode policy = groups.putObject("policies").putObject(SENSOR_POLICY);
        ObjectNode connect = policy.putObject("AllowConnect")
                .put("statementDescription", "The stage's sensor things may connect to the core's broker.");
        connect.putArray("operations").add("mqtt:connect");
        connect.putArray("resources").add("*");
        ObjectNode publish = policy.putObject("AllowPublishOwnReadings")
                .put("statementDescription", "A sensor publishes its readings on its own sensor topics only.");
        publish.putArray("operations").add("mqtt:publish");
        var resources = publish.putArray("resources");
        topics.forEach(t -> resources.add("mqtt:topic:" + t.replace("+", THING_NAME_POLICY_VARIABLE)));
        ObjectNode merge = JSON.createObjectNode();
        merge.set("deviceGroups", groups);
        return merge;
    }

    /** The MQTT bridge: each sensor topic filter from the local broker into local pub/sub, where the component reads. */
    private static ObjectNode bridgeMerge(List<String> topics) {
        ObjectNode mapping = JSON.createObjectNode();
        for (int i = 0; i < topics.size(); i++) {
            mapping.putObject("WaybillSensors" + (i + 1)).put("topic", topics.get(i))
                    .put("source", "LocalMqtt").put("target", "Pubsub");
        }
        ObjectNode merge = JSON.createObjectNode();
        merge.set("mqttTopicMapping", mapping);
        return merge;
    }

    public static String thingGroupArn(String thingGroupName) {
        return "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":thinggroup/" + thingGroupName;
    }

    private static JsonNode parseYaml(String yaml, Path file) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML", e);
        }
    }

    /** The one artifact URI of the recipe that the deployment fills in. */
    private static String placeholderUri(JsonNode recipe, Path file) {
        List<String> uris = new ArrayList<>();
        recipe.path("Manifests").forEach(m -> m.path("Artifacts").forEach(a -> {
            String uri = a.path("URI").asText("");
            if (uri.startsWith(PLACEHOLDER_URI_PREFIX)) {
                uris.add(uri);
            }
        }));
        if (uris.size() != 1) {
            throw new IllegalArgumentException(file + " must have exactly one artifact URI starting with "
                    + PLACEHOLDER_URI_PREFIX + ", has " + uris);
        }
        return uris.get(0);
    }

    public Asset artifact() {
        return artifact;
    }

    public CfnComponentVersion componentVersion() {
        return componentVersion;
    }

    public CfnDeployment deployment() {
        return deployment;
    }

    public String componentName() {
        return componentName;
    }

    public String version() {
        return version;
    }

    /** The recipe's sensor topic filters the bridge relays and the sensors may publish on. */
    public List<String> sensorTopics() {
        return sensorTopics;
    }

    /** The client-device auth selection of the stage's sensor things, e.g. {@code waybill-dev-sensor-*}. */
    public String sensorThingNames() {
        return sensorThingNames;
    }
}
