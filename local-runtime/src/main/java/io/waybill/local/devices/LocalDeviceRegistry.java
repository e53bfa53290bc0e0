package io.waybill.local.devices;

import io.waybill.aws.devices.DeviceRegistryTables;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.local.AwsClients;
import io.waybill.local.stack.StackResources;

import java.time.Clock;
import java.time.Duration;

/**
 * The local stack's device registry: the DynamoDB table {@value DeviceRegistryTables#LOCAL_TABLE} on the stack's
 * dynalite (what CDK's {@code DeviceRegistry} is on AWS), read and written through the same
 * {@link DynamoDbDeviceRegistry} ingest and the {@code devices} command use. Administration reads it uncached.
 */
public final class LocalDeviceRegistry {
    private LocalDeviceRegistry() {
    }

    /** Creates the registry table if it is missing (waits until ACTIVE) and returns the registry on it. */
    public static DynamoDbDeviceRegistry create(AwsClients clients) {
        StackResources.using(clients).createTable(DeviceRegistryTables.registry(DeviceRegistryTables.LOCAL_TABLE));
        return open(clients);
    }

    /** The registry on the existing table, uncached (for administration and enrolment). */
    public static DynamoDbDeviceRegistry open(AwsClients clients) {
        return new DynamoDbDeviceRegistry(clients.dynamoDb(), DeviceRegistryTables.LOCAL_TABLE, Duration.ZERO,
                Clock.systemUTC());
    }
}
