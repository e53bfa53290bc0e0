package io.waybill.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The hook's answer: provision or not, the template parameters that replace the device's own, and why (for the log;
 * AWS IoT only ever sees {@link #toHookResponse()}).
 */
public record ProvisioningDecision(boolean allowProvisioning, Map<String, String> parameterOverrides, String reason) {
    public ProvisioningDecision {
        parameterOverrides = Map.copyOf(parameterOverrides);
        Objects.requireNonNull(reason, "reason");
    }

    static ProvisioningDecision allow(Map<String, String> overrides, String reason) {
        return new ProvisioningDecision(true, overrides, reason);
    }

    static ProvisioningDecision refuse(String reason) {
        return new ProvisioningDecision(false, Map.of(), reason);
    }

    /** {@code {"allowProvisioning": bool, "parameterOverrides": {...}}}, the shape AWS IoT expects of the hook. */
    public Map<String, Object> toHookResponse() {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("allowProvisioning", allowProvisioning);
        response.put("parameterOverrides", new LinkedHashMap<>(parameterOverrides));
        return response;
    }
}
