package io.waybill.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-facility business metrics as EMF: one document per facility, dimension Facility = GLN. */
class ForecastTelemetryTest {

    @Test
    void eachFacilityGetsItsOwnDocumentWithMaseAndBias() {
        EmfCapture emf = new EmfCapture();
        ForecastTelemetry t = new ForecastTelemetry(null, emf, "Waybill");
        t.facilityAccuracy("0614141000012", 0.8, -1.25, 3);
        t.facilityAccuracy("0614141000029", Double.NaN, 2.0, 1);
        t.flush();
        assertThat(emf.documents).hasSize(2);
        JsonNode a = emf.documents.get(0);
        assertThat(a.path("Facility").asText()).isEqualTo("0614141000012");
        assertThat(a.path("ForecastMASE").asDouble()).isEqualTo(0.8);
        assertThat(a.path("ForecastBias").asDouble()).isEqualTo(-1.25);
        JsonNode directive = a.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Waybill");
        assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("Facility");
        JsonNode b = emf.documents.get(1);
        assertThat(b.path("Facility").asText()).isEqualTo("0614141000029");
        assertThat(b.has("ForecastMASE")).as("an undefined MASE is left out, not sent as 0").isFalse();
        assertThat(b.path("ForecastBias").asDouble()).isEqualTo(2.0);
        t.flush();
        assertThat(emf.documents).as("flushed once").hasSize(2);
    }
}
