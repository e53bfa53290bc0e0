package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.OutboundEntry;
import io.waybill.domain.partner.PartnerPublisher;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link PartnerPublisher} on Amazon EventBridge: one {@code PutEvents} call on the partner bus per call (the SDK
 * sends JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}, {@code Detail} as a JSON string, {@code Time} as epoch
 * seconds). The answer's entries are matched to the request's by position, as AWS documents; a per-entry
 * {@code ErrorCode} is returned to the caller (which retries only those), never thrown. A failure of the call itself
 * is classified by {@link DependencyFailures}: transient ones are a {@link TransientDependencyException}.
 * IAM: {@code events:PutEvents} on the bus ARN.
 */
public final class EventBridgePartnerPublisher implements PartnerPublisher {
    private final EventBridgeClient client;
    private final String eventBusName;

    /** @param eventBusName the partner bus's name or ARN */
    public EventBridgePartnerPublisher(EventBridgeClient client, String eventBusName) {
        this.client = Objects.requireNonNull(client, "client");
        this.eventBusName = Objects.requireNonNull(eventBusName, "eventBusName");
    }

    @Override
    public List<Result> putEvents(List<OutboundEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<PutEventsRequestEntry> request = new ArrayList<>(entries.size());
        for (OutboundEntry e : entries) {
            request.add(PutEventsRequestEntry.builder().eventBusName(eventBusName).source(e.source())
                    .detailType(e.detailType()).detail(e.detail()).resources(e.resources()).time(e.time()).build());
        }
        PutEventsResponse response;
        try {
            response = client.putEvents(PutEventsRequest.builder().entries(request).build());
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner event bus " + eventBusName, e);
        }
        List<PutEventsResultEntry> answered = response.entries();
        if (answered.size() != entries.size()) {
            throw new TransientDependencyException("partner event bus " + eventBusName, "PutEvents answered "
                    + answered.size() + " entries for " + entries.size(), null);
        }
        List<Result> out = new ArrayList<>(answered.size());
        for (PutEventsResultEntry r : answered) {
            out.add(r.errorCode() == null || r.errorCode().isEmpty() ? Result.accepted(r.eventId())
                    : Result.failed(r.errorCode(), r.errorMessage()));
        }
        return out;
    }
}
