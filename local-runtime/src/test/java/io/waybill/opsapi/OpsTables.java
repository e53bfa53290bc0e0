package io.waybill.opsapi;

import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.local.stack.StackResources;

/**
 * The three tables every ops API deployment reads (events, shipments, incidents), named {@code <prefix>-events},
 * {@code <prefix>-shipments} and {@code <prefix>-incidents}, created on the emulators from the functions' own
 * definitions.
 */
record OpsTables(String events, String shipments, String incidents) {
    static OpsTables named(String prefix) {
        return new OpsTables(prefix + "-events", prefix + "-shipments", prefix + "-incidents");
    }

    static OpsTables create(StackResources resources, String prefix) {
        return named(prefix).create(resources);
    }

    OpsTables create(StackResources resources) {
        resources.createTable(EventStoreTables.events(events));
        resources.createTable(EventStoreTables.shipments(shipments));
        resources.createTable(ColdChainTables.incidents(incidents));
        return this;
    }

    /** The settings of a deployment on these tables, with the dead-letter queue (or null) and no other stores. */
    OpsApiSettings settings(String deadLetterQueueUrl) {
        return new OpsApiSettings(events, shipments, incidents, deadLetterQueueUrl, "test", null, null);
    }
}
