package io.waybill.edgeack;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The function's configuration, read from the environment in one place ({@link #fromEnvironment}).
 *
 * @param stage        the stage whose devices are confirmed: {@code cmd/waybill/<stage>/<thing>/stored}
 *                     ({@code STAGE})
 * @param iotEndpoint  the account's IoT data endpoint, {@code https://xxxx-ats.iot.<region>.amazonaws.com}
 *                     ({@code IOT_DATA_ENDPOINT}; a bare host name gets {@code https://}); null: found with
 *                     {@link IotEndpointDiscovery} on the first confirmation (what the CDK stack deploys)
 * @param region       {@code AWS_REGION}, set by Lambda
 */
public record EdgeAcknowledgementConfig(String stage, URI iotEndpoint, String region) {
    private static final Pattern STAGE = Pattern.compile("[a-z][a-z0-9-]{0,19}");

    public EdgeAcknowledgementConfig {
        Objects.requireNonNull(stage, "STAGE");
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException("STAGE '" + stage + "' must match " + STAGE.pattern());
        }
    }

    public static EdgeAcknowledgementConfig fromEnvironment(Map<String, String> env) {
        String endpoint = env.get("IOT_DATA_ENDPOINT");
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("AWS_REGION is required");
        }
        URI uri = endpoint == null || endpoint.isBlank() ? null
                : URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
        return new EdgeAcknowledgementConfig(env.get("STAGE"), uri, region);
    }
}
