package io.waybill.provisioning;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The hook's configuration, read from the environment here and nowhere else.
 *
 * @param registryTable    {@value #ENV_REGISTRY_TABLE}: the device registry table (required; CDK sets it)
 * @param region           {@code AWS_REGION}, or null for the SDK's default chain
 * @param endpointOverride {@value #ENV_DYNAMODB_ENDPOINT}: a local DynamoDB emulator, or null
 */
public record ProvisioningSettings(String registryTable, String region, URI endpointOverride) {
    public static final String ENV_REGISTRY_TABLE = "WAYBILL_DEVICE_REGISTRY_TABLE";
    public static final String ENV_DYNAMODB_ENDPOINT = "WAYBILL_DYNAMODB_ENDPOINT";

    public ProvisioningSettings {
        if (registryTable == null || registryTable.isBlank()) {
            throw new IllegalArgumentException(ENV_REGISTRY_TABLE + " is required (the device registry table)");
        }
    }

    public static ProvisioningSettings fromEnvironment() {
        return from(System.getenv());
    }

    static ProvisioningSettings from(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String endpoint = env.get(ENV_DYNAMODB_ENDPOINT);
        return new ProvisioningSettings(env.get(ENV_REGISTRY_TABLE), env.get("AWS_REGION"),
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint));
    }

    public DynamoDbClient dynamoDbClient() {
        DynamoDbClientBuilder dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (region != null) {
            dynamo.region(Region.of(region));
        }
        if (endpointOverride != null) {
            dynamo.endpointOverride(endpointOverride);
        }
        return dynamo.build();
    }
}
