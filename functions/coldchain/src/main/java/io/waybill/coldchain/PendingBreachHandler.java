package io.waybill.coldchain;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.domain.decision.ColdChainLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Scheduled (every minute): confirms the breach verdicts that have held for the confirmation delay with no further
 * evidence arriving (a breach seen while evidence keeps arriving is confirmed by {@link ColdChainHandler} itself),
 * and withdraws pending verdicts that no longer hold. Same environment and wiring as {@link ColdChainHandler}.
 */
public final class PendingBreachHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(PendingBreachHandler.class);

    private final ColdChainLoop loop;
    private final Metrics metrics;

    /** Lambda entry point. */
    public PendingBreachHandler() {
        this(ColdChainFunction.fromEnvironment().loop(), MetricsFactory.getMetricsInstance());
    }

    public PendingBreachHandler(ColdChainLoop loop, Metrics metrics) {
        this.loop = loop;
        this.metrics = metrics;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        ColdChainLoop.Confirmation c = loop.confirmPending();
        LOG.info("pending breaches checked={} confirmed={} stillPending={} withdrawn={} failure={}",
                c.decisions().size(), c.incidentsOpened(), c.stillPending(), c.withdrawn(), c.failure());
        if (metrics != null) {
            metrics.addMetric("PendingBreachesChecked", c.decisions().size(), MetricUnit.COUNT);
            metrics.addMetric("IncidentsOpened", c.incidentsOpened(), MetricUnit.COUNT);
            metrics.addMetric("BreachesWithdrawn", c.withdrawn(), MetricUnit.COUNT);
            metrics.flush();
        }
        if (c.failure() != null) {
            // A failed pass is retried by the next schedule; surfacing it makes the function's Errors alarm see it.
            throw new IllegalStateException("confirmation pass stopped: " + c.failure());
        }
        return "checked=" + c.decisions().size() + " confirmed=" + c.incidentsOpened() + " stillPending="
                + c.stillPending() + " withdrawn=" + c.withdrawn();
    }
}
