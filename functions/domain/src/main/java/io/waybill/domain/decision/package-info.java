/**
 * The cold-chain decision loop behind the {@code coldchain} function: evidence in, decisions out, through ports
 * (evidence, incidents, compliance records, and the event store and shipment projection of ingestion). Pure Java,
 * no AWS types; the function module implements the ports on DynamoDB.
 */
package io.waybill.domain.decision;
