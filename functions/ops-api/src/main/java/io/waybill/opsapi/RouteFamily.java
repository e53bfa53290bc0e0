package io.waybill.opsapi;

/**
 * The routes under one first path segment ({@code /shipments/...}, {@code /incidents/...}): one class per resource,
 * so a later resource (forecasts, proofs, EPCIS) is a new family registered in {@link OpsApiFunction}, not an edit of
 * the router. Each route checks its method and scope through {@link Call#allow} before it reads anything.
 */
public interface RouteFamily {
    /** The first path segment this family answers, e.g. {@code shipments}. */
    String root();

    /**
     * @return the response, or null when no route of this family matches the path (the router answers 404)
     * @throws Problem for every refusal
     */
    ApiResponse route(Call call);

    /**
     * True for a family whose routes need no token (the dashboard's page and assets, which a browser loads before it
     * has one; {@code security: []} in the contract): the router does not ask for claims and the call's caller is
     * {@link Caller#ANONYMOUS}. Every other family is refused with a 401 before it is routed.
     */
    default boolean anonymous() {
        return false;
    }
}
