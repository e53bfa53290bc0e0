package io.waybill.opsapi;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpcisSettingsTest {

    @Test
    void withoutATableEpcisIsOffAndNoClientIsBuilt() {
        EpcisSettings off = EpcisSettings.fromEnvironment(Map.of("WAYBILL_INGEST_STREAM_NAME", "ingest"));
        assertThat(off.configured()).isFalse();
        EpcisRoutes routes = off.routes(null, () -> {
            throw new AssertionError("no Kinesis client when off");
        }, java.time.Clock.systemUTC());
        assertThat(routes.root()).isEqualTo("epcis");
    }

    @Test
    void aTableWithoutTheIngestStreamIsAStartFailure() {
        assertThatThrownBy(() -> EpcisSettings.fromEnvironment(Map.of("WAYBILL_EPCIS_TABLE", "epcis")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WAYBILL_INGEST_STREAM_NAME");
    }

    @Test
    void bothSetIsConfigured() {
        EpcisSettings s = EpcisSettings.fromEnvironment(Map.of("WAYBILL_EPCIS_TABLE", " epcis ",
                "WAYBILL_INGEST_STREAM_NAME", "ingest"));
        assertThat(s).isEqualTo(new EpcisSettings("epcis", "ingest"));
        assertThat(s.configured()).isTrue();
    }
}
