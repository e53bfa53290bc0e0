package io.waybill.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The files of the repository the app deploys or reads: the ingest, cold-chain, KPI, device provisioning hook and
 * edge acknowledgement, ops API and provenance anchoring ({@code functions/anchor}, read only when the stage anchors)
 * functions' shaded jars (the
 * cold-chain jar serves both the decision and the incident-backlog function), the edge component's jar
 * and recipe, the IoT topic rule definition, the ops API's OpenAPI document (its routes are deployed from it), the
 * forecast functions' jar ({@code functions/forecast}) and the model server's image directory ({@code model-server}:
 * its Dockerfile and shaded jar), both read only when the stage forecasts; the partner egress and ingress functions'
 * jars and the partner rule files ({@value #EVENT_RULES_PATH}), read only when the stage has partners. Paths only; {@link #requireFile(Path, String)} fails with the command
 * that builds a missing jar, so a synth never deploys a stale or stand-in artifact silently.
 */
public record BuildArtifacts(Path ingestJar, Path coldChainJar, Path kpiJar, Path deviceProvisioningJar,
                             Path edgeAcknowledgementJar, Path opsApiJar, Path edgeJar, Path edgeRecipe,
                             Path telemetryRule, Path opsApiContract, Path anchorJar, Path forecastJar,
                             Path modelServer, Path partnerEgressJar, Path partnerIngressJar, Path eventRules) {

    /** The partner rules (also loaded by local-runtime's local event bus), one JSON file each. */
    public static final String EVENT_RULES_PATH = "infra-cdk/event-rules";

    /** Repository path of the IoT rule (also evaluated by local-runtime's rule runner). */
    public static final String TELEMETRY_RULE_PATH = "infra-cdk/iot-rules/telemetry-to-kinesis.json";
    public static final String EDGE_RECIPE_PATH = "edge-greengrass/recipe/com.waybill.edge.ReeferMonitor-recipe.yaml";
    public static final String EDGE_JAR_PATH = "edge-greengrass/target/waybill-edge.jar";
    /** The ops API's contract (OpenAPI 3.1): {@link OpsApi} deploys one route per operation of its {@code paths}. */
    public static final String OPS_API_CONTRACT_PATH =
            "functions/ops-api/src/main/resources/waybill/openapi/ops-api.yaml";
    /** The model server's module: the Docker build context of its image (its .dockerignore keeps only the jar). */
    public static final String MODEL_SERVER_PATH = "model-server";
    /** The shaded jar the Dockerfile copies, relative to {@link #MODEL_SERVER_PATH}. */
    public static final String MODEL_SERVER_JAR = "target/waybill-model-server.jar";

    /** The project version this module was built with (Maven resource filtering). */
    public static String projectVersion() {
        Properties p = new Properties();
        try (InputStream in = BuildArtifacts.class.getResourceAsStream("/waybill-infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("waybill-infra.properties is not on the classpath: build infra-cdk with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("project.version");
    }

    /** The artifacts of the repository at {@code repoRoot}; files are checked when used, not here. */
    public static BuildArtifacts in(Path repoRoot) {
        return new BuildArtifacts(
                repoRoot.resolve("functions/ingest/target/waybill-ingest-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve("functions/coldchain/target/waybill-coldchain-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve("functions/kpi/target/waybill-kpi-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve("functions/device-provisioning/target/waybill-device-provisioning-" + projectVersion()
                        + "-lambda.jar"),
                repoRoot.resolve("functions/edge-acknowledgement/target/waybill-edge-acknowledgement-"
                        + projectVersion() + "-lambda.jar"),
                repoRoot.resolve("functions/ops-api/target/waybill-ops-api-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve(EDGE_JAR_PATH),
                repoRoot.resolve(EDGE_RECIPE_PATH),
                repoRoot.resolve(TELEMETRY_RULE_PATH),
                repoRoot.resolve(OPS_API_CONTRACT_PATH),
                repoRoot.resolve("functions/anchor/target/waybill-anchor-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve("functions/forecast/target/waybill-forecast-" + projectVersion() + "-lambda.jar"),
                repoRoot.resolve(MODEL_SERVER_PATH),
                repoRoot.resolve("functions/partner-egress/target/waybill-partner-egress-" + projectVersion()
                        + "-lambda.jar"),
                repoRoot.resolve("functions/partner-ingress/target/waybill-partner-ingress-" + projectVersion()
                        + "-lambda.jar"),
                repoRoot.resolve(EVENT_RULES_PATH));
    }

    /** The same artifacts with the anchoring functions' jar at {@code jar} (tests, before functions/anchor exists). */
    public BuildArtifacts withAnchorJar(Path jar) {
        return new BuildArtifacts(ingestJar, coldChainJar, kpiJar, deviceProvisioningJar, edgeAcknowledgementJar,
                opsApiJar, edgeJar, edgeRecipe, telemetryRule, opsApiContract, jar, forecastJar, modelServer,
                partnerEgressJar, partnerIngressJar, eventRules);
    }

    /**
     * The model server's Docker build context, after checking it holds the Dockerfile and the shaded jar the
     * Dockerfile copies (the image is built at deploy time; a missing jar would only fail there).
     */
    Path modelServerImage() {
        requireFile(modelServer.resolve("Dockerfile"), "it is part of the repository");
        requireFile(modelServer.resolve(MODEL_SERVER_JAR),
                "build it with: mvn -B install -DskipTests -pl " + MODEL_SERVER_PATH + " -am");
        return modelServer;
    }

    /** {@code file}, if it exists; else an exception naming what builds it. */
    static Path requireFile(Path file, String buildHint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: " + buildHint);
        }
        return file;
    }

    static String read(Path file) {
        try {
            return Files.readString(requireFile(file, "it is part of the repository"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
