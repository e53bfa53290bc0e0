package io.waybill.provisioning;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entries;

/**
 * AWS IoT fleet provisioning's pre-provisioning hook (the provisioning template's {@code PreProvisioningHook}). Input:
 * {@code {"claimCertificateId", "certificateId", "certificatePem", "templateArn", "clientId", "parameters": {...}}};
 * output: {@code {"allowProvisioning": bool, "parameterOverrides": {...}}}. The decision is {@link ProvisioningGate}'s;
 * this class only maps the event (the proof is checked against the event's {@code certificateId}) and logs one
 * structured line per request (thing, certificate id, key id, decision, reason: never the certificate or the proof).
 * A registry that cannot be read fails the invocation, which IoT treats as a refusal.
 */
public final class PreProvisioningHookHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(PreProvisioningHookHandler.class);

    private final ProvisioningGate gate;

    /** Lambda entry point: the registry table and client from the environment ({@link ProvisioningSettings}). */
    public PreProvisioningHookHandler() {
        this(settingsGate(ProvisioningSettings.fromEnvironment()));
    }

    public PreProvisioningHookHandler(ProvisioningGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    private static ProvisioningGate settingsGate(ProvisioningSettings settings) {
        return new ProvisioningGate(new DynamoDbDeviceProfiles(settings.dynamoDbClient(), settings.registryTable()));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, String> parameters = parameters(event == null ? null : event.get("parameters"));
        String certificateId = event != null && event.get("certificateId") instanceof String s ? s : null;
        ProvisioningDecision decision = gate.decide(parameters, certificateId);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("thing", parameters.get(ProvisioningGate.THING_NAME));
        log.put("certificateId", certificateId);
        log.put("keyId", parameters.get(ProvisioningGate.KEY_ID));
        log.put("claimCertificateId", event == null ? null : event.get("claimCertificateId"));
        log.put("allowProvisioning", decision.allowProvisioning());
        log.put("reason", decision.reason());
        LOG.info("pre-provisioning decision {}", entries(log));
        return decision.toHookResponse();
    }

    /** The RegisterThing parameters as strings (IoT passes strings; anything else is ignored). */
    static Map<String, String> parameters(Object raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v instanceof String s) {
                    parameters.put(k.toString(), s);
                }
            });
        }
        return parameters;
    }
}
