package io.waybill.aws.epcis;

import java.util.List;

/**
 * The DynamoDB actions {@link DynamoDbEpcisRepository} performs on the EPCIS table and its {@code query} index,
 * declared beside the adapter as {@code ForecastTableAccess} is: the CDK app grants exactly these to the ops API.
 */
public final class EpcisTableAccess {
    /**
     * The ops API's capture and query routes: events and jobs read ({@code GetItem}, {@code BatchGetItem}, {@code
     * Query} on the table and the index), index entries written in batches and a capture the stream refused removed
     * in batches ({@code BatchWriteItem}), events and jobs put (conditionally). Checked against what the adapter
     * really sends on the emulator ({@code DynamoDbEpcisRepositoryOnEmulatorTest}).
     */
    public static final List<String> OPS_API = List.of("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query");

    private EpcisTableAccess() {
    }
}
