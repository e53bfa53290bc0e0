/**
 * Shipment exceptions ("incidents"): what a cloud decision opens for operations staff, with a forward-only
 * lifecycle (open, acknowledged, resolved) whose times feed the exception KPIs. Pure Java, no AWS types.
 */
package io.waybill.domain.incident;
