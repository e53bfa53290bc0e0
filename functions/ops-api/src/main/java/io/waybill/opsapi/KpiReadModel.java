package io.waybill.opsapi;

import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.LaneAggregate;

/**
 * The running lane and facility KPIs the KPI aggregator keeps from the canonical stream (issue 12), as the ops API
 * reads them (port; DynamoDB adapter {@code io.waybill.opsapi.aws.DynamoDbKpiReadModel}). Only aggregates with
 * something in them are listed, as {@code ./waybill kpis} lists them: lanes with at least one leg, facilities with at
 * least one arrival or departure.
 */
public interface KpiReadModel {
    /**
     * Lanes by origin, then destination.
     *
     * @param origin      only lanes from this GLN, or null
     * @param destination only lanes to this GLN, or null
     * @throws PageTokenRefused when the token was not issued for these filters
     */
    Page<LaneAggregate> lanes(String origin, String destination, String pageToken, int limit);

    /**
     * Facilities by GLN.
     *
     * @param gln only this facility, or null
     * @throws PageTokenRefused when the token was not issued for this filter
     */
    Page<FacilityAggregate> facilities(String gln, String pageToken, int limit);
}
