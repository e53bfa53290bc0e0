package io.waybill.opsapi;

import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Instant;
import java.util.Optional;

/** Incidents as the ops API reads them (port; DynamoDB adapter in {@code io.waybill.opsapi.aws}). */
public interface IncidentReadModel {
    /**
     * @param status         only this status (oldest first), or null
     * @param severity       only this severity, or null
     * @param openedAtOrBefore only incidents opened at or before this time (the minimum age), or null
     */
    record Filter(IncidentStatus status, String severity, Instant openedAtOrBefore) {
    }

    /**
     * @throws PageTokenRefused when the token was not issued for this filter
     */
    Page<ShipmentIncident> list(Filter filter, String pageToken, int limit);

    Optional<ShipmentIncident> find(String incidentId);
}
