/**
 * Demand forecasting (issue 15): daily unit demand per SKU and location built from canonical events (the SGTINs read
 * with a shipment's SSCC, and that shipment's departure from a GLN), forecasts from a SageMaker endpoint in DeepAR's
 * format, reorder recommendations from the forecast's distribution, and accuracy (MASE, bias) once actuals arrive.
 * No AWS types.
 */
package io.waybill.domain.forecast;
