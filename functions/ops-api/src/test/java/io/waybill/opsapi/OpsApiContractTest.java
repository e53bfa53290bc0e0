package io.waybill.opsapi;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle itself: it must refuse responses that break the document, or every contract check passes vacuously. */
class OpsApiContractTest {
    private static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }

    @Test
    void documentNamesTheSlicesOperations() {
        assertThat(OpsApiContract.operations()).containsExactlyInAnyOrder("GET /shipments", "GET /shipments/{sscc}",
                "GET /incidents", "GET /incidents/{incidentId}", "POST /incidents/{incidentId}/acknowledge",
                "POST /incidents/{incidentId}/resolve", "POST /incidents/{incidentId}/disposition", "GET /health",
                "GET /shipments/{sscc}/temperatures", "GET /shipments/{sscc}/history",
                "GET /dead-letters", "GET /dead-letters/{deadLetterId}", "POST /dead-letters/{deadLetterId}/replay",
                "POST /dead-letters/replay",
                "GET /kpis/lanes", "GET /kpis/facilities", "GET /devices", "GET /devices/{deviceId}",
                "GET /dashboard", "GET /dashboard/{asset}", "GET /events/{eventId}/proof",
                "GET /forecasts", "GET /forecasts/{seriesId}", "POST /forecasts/{seriesId}",
                "POST /epcis/capture", "GET /epcis/capture", "GET /epcis/capture/{captureID}", "POST /epcis/events",
                "GET /epcis/events", "GET /epcis/events/{eventID}");
    }

    @Test
    void dashboardTextIsCheckedForItsTypeAndBody() {
        ApiResponse css = new ApiResponse(200, Map.of("Content-Type", "text/css; charset=utf-8"), "body{}");
        assertThat(OpsApiContract.violations("GET", "/dashboard/dashboard.css", css)).isEmpty();
        assertThat(OpsApiContract.violations("GET", "/dashboard", css)).hasSize(1);
        assertThat(OpsApiContract.violations("GET", "/dashboard/app.js",
                new ApiResponse(200, Map.of("Content-Type", "text/javascript"), ""))).hasSize(1);
        assertThat(OpsApiContract.violations("GET", "/dashboard/app.js", new ApiResponse(304, Map.of(), ""))).isEmpty();
        assertThat(OpsApiContract.violations("GET", "/dashboard/app.js", new ApiResponse(304, Map.of(), "x")))
                .hasSize(1);
    }

    @Test
    void aConformingShipmentPasses() {
        assertThat(OpsApiContract.violations("GET", "/shipments/106141412345678908", json(200,
                "{\"sscc\":\"106141412345678908\",\"status\":\"ARRIVED\",\"hold\":{\"onHold\":false}}"))).isEmpty();
    }

    @Test
    void brokenResponsesAreCaught() {
        // no hold (required)
        assertThat(OpsApiContract.violations("GET", "/shipments/106141412345678908", json(200,
                "{\"sscc\":\"106141412345678908\",\"status\":\"ARRIVED\"}"))).isNotEmpty();
        // a time that is not RFC 3339 (format asserted)
        assertThat(OpsApiContract.violations("GET", "/shipments/106141412345678908", json(200,
                "{\"sscc\":\"106141412345678908\",\"status\":\"ARRIVED\",\"statusAt\":\"yesterday\","
                        + "\"hold\":{\"onHold\":false}}"))).isNotEmpty();
        // a field the document does not name, in a page's item (nested $ref)
        assertThat(OpsApiContract.violations("GET", "/incidents", json(200,
                "{\"items\":[{\"incidentId\":\"x\",\"shipmentSscc\":\"1\",\"kind\":\"K\",\"severity\":\"MAJOR\","
                        + "\"status\":\"OPEN\",\"openedAt\":\"2026-03-02T12:00:00Z\",\"secret\":1}]}"))).isNotEmpty();
        // an undocumented status of a documented operation
        assertThat(OpsApiContract.violations("GET", "/health", json(418, "{}"))).isNotEmpty();
        // a problem sent as plain JSON
        assertThat(OpsApiContract.violations("GET", "/shipments", json(400,
                "{\"type\":\"t\",\"title\":\"t\",\"status\":400}"))).isNotEmpty();
        // a problem whose status is a string
        assertThat(OpsApiContract.violations("GET", "/nowhere", new ApiResponse(404,
                Map.of("Content-Type", "application/problem+json"),
                "{\"type\":\"t\",\"title\":\"t\",\"status\":\"404\"}"))).isNotEmpty();
    }
}
