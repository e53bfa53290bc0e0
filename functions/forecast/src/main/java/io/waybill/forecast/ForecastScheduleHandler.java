package io.waybill.forecast;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.domain.forecast.ForecastRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Daily (EventBridge schedule): scores the forecasts whose horizon has passed, then forecasts every series from today
 * (UTC; today's demand is not yet complete, so history ends yesterday). An unavailable endpoint is reported
 * (EndpointUnavailable) and the next run forecasts again.
 */
public final class ForecastScheduleHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastScheduleHandler.class);

    private final ForecastRun run;
    private final ForecastTelemetry telemetry;
    private final Clock clock;

    /** Lambda's constructor: {@link ForecastFunction#fromEnvironment}. */
    public ForecastScheduleHandler() {
        this(ForecastFunction.fromEnvironment(System.getenv()));
    }

    public ForecastScheduleHandler(ForecastFunction function) {
        this(Objects.requireNonNull(function, "function").run(), function.telemetry(), function.clock());
    }

    public ForecastScheduleHandler(ForecastRun run, ForecastTelemetry telemetry, Clock clock) {
        this.run = Objects.requireNonNull(run, "run");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The day's run. When the endpoint could not be reached (a serverless endpoint throttling, a deployment in
     * progress) the invocation fails after storing what it could, so Lambda's asynchronous retries run it again within
     * the schedule's event age instead of leaving the day without forecasts; a rerun replaces what the first one stored
     * for the day (same keys).
     *
     * @throws ForecastEndpointUnavailable when the run stopped on an unavailable endpoint
     */
    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        ForecastRun.Report report = runOnce(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        if (report.endpointUnavailable()) {
            throw new ForecastEndpointUnavailable("the forecast endpoint was unavailable; " + report.stored()
                    + " of " + report.series() + " series stored, the run fails so that Lambda retries it");
        }
        return report.toString();
    }

    /** The run stopped because the endpoint could not be reached: the invocation fails so that Lambda retries it. */
    public static final class ForecastEndpointUnavailable extends RuntimeException {
        public ForecastEndpointUnavailable(String message) {
            super(message);
        }
    }

    /** One run as of {@code asOf} (history up to the day before), metrics flushed. */
    public ForecastRun.Report runOnce(LocalDate asOf) {
        try {
            ForecastRun.Report r = run.run(asOf);
            LOG.info("forecast run asOf={} series={} stored={} skipped={} rejected={} endpointUnavailable={} "
                            + "scored={}", r.asOf(), r.series(), r.stored(), r.skipped(), r.rejected(),
                    r.endpointUnavailable(), r.scored().size());
            return r;
        } finally {
            telemetry.flush();
        }
    }
}
