package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The reefer monitor as a Greengrass v2 component version, deployed to the reefer thing group. The recipe is
 * {@code edge-greengrass/recipe/com.waybill.edge.ReeferMonitor-recipe.yaml} as written, with two substitutions:
 * <ol>
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

    private final Asset artifact;
    private final CfnComponentVersion componentVersion;
    private final CfnDeployment deployment;
    private final String componentName;
    private final String version;

    public EdgeComponent(Construct scope, String id, StageConfig config, Path recipeFile, Path edgeJar,
                         GreengrassTokenExchangeRole tokenExchangeRole) {
        super(scope, id);
        String recipe = BuildArtifacts.read(recipeFile);
        JsonNode parsed = parseYaml(recipe, recipeFile);
        this.componentName = parsed.path("ComponentName").asText();
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
        String inlineRecipe = recipe
                .replace(placeholderUri, artifact.getS3ObjectUrl())
                .replace(runPath, "{artifacts:path}/" + objectKey.substring(objectKey.lastIndexOf('/') + 1));
        tokenExchangeRole.allowArtifactDownload(artifact.getBucket().arnForObjects(objectKey));

        this.componentVersion = CfnComponentVersion.Builder.create(this, "Component")
                .inlineRecipe(inlineRecipe)
                .build();
        Map<String, Object> components = new LinkedHashMap<>();
        components.put(componentName, CfnDeployment.ComponentDeploymentSpecificationProperty.builder()
                .componentVersion(componentVersion.getAttrComponentVersion())
                .build());
        components.put(NUCLEUS_COMPONENT, CfnDeployment.ComponentDeploymentSpecificationProperty.builder()
                .componentVersion(NUCLEUS_VERSION)
                .build());
        this.deployment = CfnDeployment.Builder.create(this, "Deployment")
                .deploymentName(config.resourceName("reefers"))
                .targetArn(thingGroupArn(config.thingGroupName()))
                .components(components)
                .build();
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
}
