package io.waybill.coldchain;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical stream the cold chain publishes its decision events to: optional off Lambda, required on it. */
class CanonicalStreamSettingsTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_EVENTS_TABLE", "waybill-prod-events");
        env.put("WAYBILL_SHIPMENTS_TABLE", "waybill-prod-shipments");
        env.put("WAYBILL_EXPOSURE_TABLE", "waybill-prod-exposure");
        env.put("WAYBILL_INCIDENTS_TABLE", "waybill-prod-incidents");
        env.put("WAYBILL_COMPLIANCE_TABLE", "waybill-prod-compliance");
        env.put("WAYBILL_INCIDENT_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:waybill-prod-incidents");
        return env;
    }

    @Test
    void theStreamNameComesFromTheVariableIngestPublishesToo() {
        Map<String, String> env = env();
        env.put("WAYBILL_CANONICAL_STREAM_NAME", " waybill-prod-canonical ");

        ColdChainSettings s = ColdChainSettings.requiredOnLambda(ColdChainSettings.fromEnvironment(env));

        assertThat(s.canonicalStreamName()).isEqualTo("waybill-prod-canonical");
        // the name ingest reads (io.waybill.ingest.IngestConfig), so one stack variable names the one stream
        assertThat(ColdChainSettings.ENV_CANONICAL_STREAM_NAME).isEqualTo("WAYBILL_CANONICAL_STREAM_NAME");
    }

    @Test
    void withoutItDecisionsArePublishedNowhereOffLambda() {
        Map<String, String> env = env();
        env.put("WAYBILL_CANONICAL_STREAM_NAME", "  ");

        assertThat(ColdChainSettings.fromEnvironment(env).canonicalStreamName()).isNull();
        assertThat(ColdChainSettings.fromEnvironment(env()).canonicalStreamName()).isNull();
    }

    @Test
    void onLambdaAMissingStreamStopsTheFunctionNamingTheVariable() {
        assertThatThrownBy(() -> ColdChainSettings.requiredOnLambda(ColdChainSettings.fromEnvironment(env())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("WAYBILL_CANONICAL_STREAM_NAME is not set: the cold-chain function cannot start");
    }

    @Test
    void theLocalRuntimeNamesItOnSettingsItBuilds() {
        ColdChainSettings s = ColdChainSettings.fromEnvironment(env()).withCanonicalStreamName("local-canonical");

        assertThat(s.canonicalStreamName()).isEqualTo("local-canonical");
        assertThat(s.withCanonicalStreamName(null).canonicalStreamName()).isNull();
        assertThat(s.eventsTable()).isEqualTo("waybill-prod-events");
    }
}
