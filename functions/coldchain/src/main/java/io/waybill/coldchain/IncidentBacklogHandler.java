package io.waybill.coldchain;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.domain.incident.IncidentStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Scheduled (every few minutes): the exception backlog as metrics, for the "exception age" alarm. Reads the
 * incidents table's {@code byStatus} index (one Query per status, no scan): how many incidents are open and
 * acknowledged, and the age of the oldest open one ({@code OldestOpenIncidentAgeSeconds}, 0 when none is open, so
 * the alarm sees data every period).
 */
public final class IncidentBacklogHandler implements RequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentBacklogHandler.class);

    private final DynamoDbIncidentStore incidents;
    private final Metrics metrics;
    private final Clock clock;

    /** Lambda entry point. Needs {@value ColdChainSettings#ENV_INCIDENTS_TABLE}. */
    public IncidentBacklogHandler() {
        this(new DynamoDbIncidentStore(DynamoDbEnhancedClient.builder().dynamoDbClient(DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()).build(),
                Objects.requireNonNull(System.getenv(ColdChainSettings.ENV_INCIDENTS_TABLE),
                        ColdChainSettings.ENV_INCIDENTS_TABLE + " is not set")),
                MetricsFactory.getMetricsInstance(), Clock.systemUTC());
    }

    public IncidentBacklogHandler(DynamoDbIncidentStore incidents, Metrics metrics, Clock clock) {
        this.incidents = incidents;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        Instant now = clock.instant();
        DynamoDbIncidentStore.Backlog open = incidents.backlog(IncidentStatus.OPEN);
        DynamoDbIncidentStore.Backlog acknowledged = incidents.backlog(IncidentStatus.ACKNOWLEDGED);
        long oldestOpenSeconds = open.oldest().map(i -> Math.max(0, Duration.between(i.openedAt(), now).toSeconds()))
                .orElse(0L);
        LOG.info("incident backlog open={} acknowledged={} oldestOpenAgeSeconds={} oldestOpen={}", open.count(),
                acknowledged.count(), oldestOpenSeconds, open.oldest().map(i -> i.incidentId()).orElse("-"));
        if (metrics != null) {
            metrics.addMetric("OpenIncidents", open.count(), MetricUnit.COUNT);
            metrics.addMetric("AcknowledgedIncidents", acknowledged.count(), MetricUnit.COUNT);
            metrics.addMetric("OldestOpenIncidentAgeSeconds", oldestOpenSeconds, MetricUnit.SECONDS);
            metrics.flush();
        }
        return "open=" + open.count() + " acknowledged=" + acknowledged.count() + " oldestOpenAgeSeconds="
                + oldestOpenSeconds;
    }
}
