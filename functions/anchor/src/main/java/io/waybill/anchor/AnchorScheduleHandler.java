package io.waybill.anchor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.domain.provenance.AnchorRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Every minute (EventBridge schedule; reserved concurrency 1): passes of the anchoring engine, {@link #EVERY} apart,
 * until {@link #LOOP} has passed or the invocation's remaining time minus {@link #MARGIN} runs out, whichever comes
 * first. The no-argument Lambda constructor is added by the wiring that has the chain adapter (see
 * {@link AnchorFunction}).
 */
public final class AnchorScheduleHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorScheduleHandler.class);
    /** How long one invocation keeps passing: a one-minute schedule then leaves no gap longer than 10 s. */
    public static final Duration LOOP = Duration.ofSeconds(50);
    /** Kept back from the invocation's remaining time for the last pass to finish and the metrics to flush. */
    public static final Duration MARGIN = Duration.ofSeconds(10);
    /** Between passes: a local block comes every second or two, a mainnet block every 12 s. */
    public static final Duration EVERY = Duration.ofSeconds(2);

    private final AnchorRun run;
    private final AnchorTelemetry telemetry;
    private final Clock clock;
    private final AnchorRun.Pause pause;

    /** Lambda's constructor: {@link AnchorFunction#fromEnvironment}. */
    public AnchorScheduleHandler() {
        this(AnchorFunction.fromEnvironment(System.getenv()));
    }

    public AnchorScheduleHandler(AnchorFunction function) {
        this(function, d -> Thread.sleep(d.toMillis()));
    }

    AnchorScheduleHandler(AnchorFunction function, AnchorRun.Pause pause) {
        Objects.requireNonNull(function, "function");
        this.run = function.run();
        this.telemetry = function.telemetry();
        this.clock = function.clock();
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        Instant now = clock.instant();
        Instant deadline = now.plus(LOOP);
        if (context != null) {
            Instant lambdaEnd = now.plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
            if (lambdaEnd.isBefore(deadline)) {
                deadline = lambdaEnd;
            }
        }
        try {
            if (!deadline.isAfter(now.plus(EVERY))) {
                run.pass(deadline); // a short invocation still makes one pass
            } else {
                run.until(deadline, EVERY, pause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("anchor schedule interrupted");
        } finally {
            telemetry.flush();
        }
        return "ok";
    }
}
