package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.coldchain.ShipmentClassification;

import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the product class each shipment is judged under: its plan's class, looked up in the catalog. A shipment
 * with no plan, or whose plan names a class the catalog does not hold, is UNCLASSIFIED: judged under the configured
 * default class, flagged ({@link ShipmentClassification#classified()} false, with the reason), and logged as a
 * warning ({@code "shipmentUnclassified"}). An unknown class name never becomes a known class by accident (no
 * fuzzy match, no fallback to a preset of a similar name). Stateless apart from its collaborators; thread-safe when
 * {@link ShipmentPlans} is.
 *
 * <pre>{@code
 * ShipmentClassifier classifier = new ShipmentClassifier(catalog, plans, catalog.require("chilled-biologics-2-8"));
 * ShipmentClassification c = classifier.classify("106141412345678908");
 * }</pre>
 */
public final class ShipmentClassifier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ShipmentClassifier.class.getName());

    private final ProductClassCatalog catalog;
    private final ShipmentPlans plans;
    private final ProductClass defaultClass;

    /**
     * @param catalog      the product classes plans may name
     * @param plans        the shipments' plans
     * @param defaultClass the class an UNCLASSIFIED shipment is judged under (need not be in the catalog)
     */
    public ShipmentClassifier(ProductClassCatalog catalog, ShipmentPlans plans, ProductClass defaultClass) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.plans = Objects.requireNonNull(plans, "plans");
        this.defaultClass = Objects.requireNonNull(defaultClass, "defaultClass");
    }

    /**
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the plans cannot be read (passed on: a
     *                                                                   shipment is never judged without its plan)
     */
    public ShipmentClassification classify(String sscc) {
        Optional<String> named = plans.productClassOf(sscc);
        if (named.isEmpty()) {
            return unclassified(sscc, null, "no plan (waybill.shipment.planned.v1) names a product class for shipment "
                    + sscc);
        }
        Optional<ProductClass> found = catalog.find(named.get());
        if (found.isEmpty()) {
            return unclassified(sscc, named.get(), "the plan of shipment " + sscc + " names product class '"
                    + named.get() + "', which the catalog does not hold (known: " + String.join(", ", catalog.names())
                    + ")");
        }
        return ShipmentClassification.classified(sscc, found.get());
    }

    public ProductClass defaultClass() {
        return defaultClass;
    }

    private ShipmentClassification unclassified(String sscc, String named, String reason) {
        LOG.log(System.Logger.Level.WARNING, () -> {
            com.fasterxml.jackson.databind.node.ObjectNode line = JSON.createObjectNode()
                    .put("event", "shipmentUnclassified").put("shipmentSscc", sscc);
            line.put("plannedProductClass", named);
            return line.put("judgedAs", defaultClass.name()).put("reason", reason).toString();
        });
        return ShipmentClassification.unclassified(sscc, defaultClass, reason);
    }
}
