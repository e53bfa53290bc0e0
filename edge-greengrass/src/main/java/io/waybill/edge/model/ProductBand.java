package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached.Limit;

import java.util.Objects;

/**
 * The temperature band a product must stay in, °C, inclusive on both sides. An open side is infinite: frozen goods
 * are "at or below -18 °C" ({@code min = -Infinity}).
 *
 * @param name        the band's name, e.g. {@code chilled}
 * @param minCelsius  lowest allowed temperature, °C, or {@link Double#NEGATIVE_INFINITY}
 * @param maxCelsius  highest allowed temperature, °C, or {@link Double#POSITIVE_INFINITY}
 * @param sensitivity how sensitive the product is to time outside the band
 */
public record ProductBand(String name, double minCelsius, double maxCelsius, ProductSensitivity sensitivity) {

    /** Chilled food, 2 to 8 °C. */
    public static final ProductBand CHILLED = new ProductBand("chilled", 2.0, 8.0, ProductSensitivity.STANDARD);
    /** Frozen food, at or below -18 °C. */
    public static final ProductBand FROZEN =
            new ProductBand("frozen", Double.NEGATIVE_INFINITY, -18.0, ProductSensitivity.STANDARD);
    /** Medicines labelled "store at 2 to 8 °C" (vaccines, insulin). */
    public static final ProductBand PHARMA_2_8 = new ProductBand("pharma-2-8", 2.0, 8.0, ProductSensitivity.HIGH);
    /** Controlled room temperature, 15 to 25 °C (chocolate, many medicines). */
    public static final ProductBand CONTROLLED_AMBIENT =
            new ProductBand("controlled-ambient", 15.0, 25.0, ProductSensitivity.STANDARD);

    public ProductBand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sensitivity, "sensitivity");
        if (Double.isNaN(minCelsius) || Double.isNaN(maxCelsius) || minCelsius == Double.POSITIVE_INFINITY
                || maxCelsius == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("band limits must be numbers: " + minCelsius + ".." + maxCelsius);
        }
        if (!(minCelsius < maxCelsius)) {
            throw new IllegalArgumentException("band min " + minCelsius + " must be below max " + maxCelsius);
        }
    }

    /** A band between two limits with {@link ProductSensitivity#STANDARD} sensitivity. */
    public static ProductBand of(String name, double minCelsius, double maxCelsius) {
        return new ProductBand(name, minCelsius, maxCelsius, ProductSensitivity.STANDARD);
    }

    /** The same limits for a product of another sensitivity. */
    public ProductBand withSensitivity(ProductSensitivity s) {
        return new ProductBand(name, minCelsius, maxCelsius, s);
    }

    public boolean contains(double celsius) {
        return celsius >= minCelsius && celsius <= maxCelsius;
    }

    /** °C above {@link #maxCelsius()}, 0 when not above. */
    public double aboveBy(double celsius) {
        return Math.max(0.0, celsius - maxCelsius);
    }

    /** °C below {@link #minCelsius()}, 0 when not below. */
    public double belowBy(double celsius) {
        return Math.max(0.0, minCelsius - celsius);
    }

    /** °C beyond the given limit (0 when on the allowed side of it). */
    public double beyond(Limit limit, double celsius) {
        return limit == Limit.UPPER ? aboveBy(celsius) : belowBy(celsius);
    }

    /** The limit's value, °C (may be infinite for an open side). */
    public double limitCelsius(Limit limit) {
        return limit == Limit.UPPER ? maxCelsius : minCelsius;
    }

    /** Whether the band has that side at all (frozen has no lower limit). */
    public boolean hasLimit(Limit limit) {
        return Double.isFinite(limitCelsius(limit));
    }

    public double widthCelsius() {
        return maxCelsius - minCelsius;
    }
}
