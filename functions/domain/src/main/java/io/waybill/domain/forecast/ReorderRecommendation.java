package io.waybill.domain.forecast;

/**
 * When to reorder one SKU at one location: the reorder point covers lead-time demand at the service level.
 *
 * @param serviceLevel       probability of no stock-out during the lead time (e.g. 0.95)
 * @param leadTimeDays       replenishment lead time in days
 * @param leadTimeDemandMean expected units demanded over the lead time
 * @param reorderPoint       units: the service-level quantile of lead-time demand
 * @param safetyStock        units: reorderPoint - leadTimeDemandMean (never negative)
 * @param basis              how the quantile was obtained: "samples" (quantile of simulated lead-time sums) or
 *                           "quantiles" (sum of daily quantiles: an upper bound, used when no samples came back)
 */
public record ReorderRecommendation(double serviceLevel, int leadTimeDays, double leadTimeDemandMean,
                                    double reorderPoint, double safetyStock, String basis) {
}
