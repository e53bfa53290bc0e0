package io.waybill.it;

import io.waybill.local.AwsClients;

/**
 * An AWS-compatible back end the scenarios run on: something that answers the Kinesis, DynamoDB and SQS APIs, and
 * the clients pointed at it. One is started per test class and shared by its scenarios (each scenario uses its own
 * resource names).
 */
interface AwsBackEnd extends AutoCloseable {

    /** @return a short name for messages, e.g. {@code local emulators} */
    String name();

    /** @return clients for the three services, owned by the back end */
    AwsClients clients();

    /** Stops the back end and closes its clients. */
    @Override
    void close();
}
