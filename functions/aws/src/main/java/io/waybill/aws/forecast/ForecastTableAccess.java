package io.waybill.aws.forecast;

import java.util.List;

/**
 * The DynamoDB actions each forecasting code path performs on each table, declared beside the adapters that perform
 * them: the CDK app grants exactly these ({@code DemandForecasting}), and an emulator test records the operations each
 * path really sends and checks they are these (so a new call in an adapter cannot ship without its grant).
 */
public final class ForecastTableAccess {
    /** {@code DemandIntake} on the demand table: contents (batch), departures and lines (update), reads of both sides. */
    public static final List<String> INTAKE_DEMAND = List.of("dynamodb:BatchWriteItem", "dynamodb:PutItem",
            "dynamodb:Query", "dynamodb:UpdateItem");
    /** {@code ForecastRun} (schedule and on demand) on the demand table: series, histories, first demand day. */
    public static final List<String> RUN_DEMAND = List.of("dynamodb:GetItem", "dynamodb:Query");
    /** {@code ForecastRun} on the forecast table: forecasts stored, forecasts due for scoring, accuracy written once. */
    public static final List<String> RUN_FORECAST = List.of("dynamodb:PutItem", "dynamodb:Query",
            "dynamodb:UpdateItem");
    /** The ops API's reads ({@code ForecastReadModel}) on the demand table. */
    public static final List<String> READ_DEMAND = List.of("dynamodb:Query");
    /** The ops API's reads on the forecast table. */
    public static final List<String> READ_FORECAST = List.of("dynamodb:Query");

    private ForecastTableAccess() {
    }
}
