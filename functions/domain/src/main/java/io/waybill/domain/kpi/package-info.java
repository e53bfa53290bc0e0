/**
 * Business KPIs of the supply chain, per lane (origin facility GLN to destination facility GLN) and per facility,
 * computed from canonical shipment events, shipment exceptions ({@link io.waybill.domain.incident.ShipmentIncident}),
 * optional per-shipment cold-chain exposure figures and an optional {@link io.waybill.domain.kpi.ShipmentSchedule}
 * from the planning system. Pure Java, no AWS types.
 *
 * <pre>{@code
 * SupplyChainKpis k = new KpiCalculator(KpiConfig.defaults())
 *         .compute(events, incidents, exposureBySscc, schedule, asOf);
 * k.lanes().get(new Lane("0614141000005", "0614141000012")).transit().p50();
 * }</pre>
 *
 * <p>The exact definitions are on {@link io.waybill.domain.kpi.KpiCalculator}; they are a contract, the
 * {@code waybill kpis} report and the CloudWatch metrics print them.
 */
package io.waybill.domain.kpi;
