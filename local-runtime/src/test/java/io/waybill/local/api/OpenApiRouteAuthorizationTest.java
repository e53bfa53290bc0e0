package io.waybill.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route scopes read from the OpenAPI document. The expectations are the document's {@code security} entries as
 * written in ops-api.yaml (top level {@code [ops.read]}; the three POST routes {@code [ops.read, ops.write]}), copied
 * here by hand.
 */
class OpenApiRouteAuthorizationTest {
    private static final OpenApiRouteAuthorization OPS = OpenApiRouteAuthorization.opsApi();

    @Test
    void readRoutesNeedTheReadScope() {
        assertThat(OPS.scopesOf("GET", "/shipments")).containsExactly("ops.read");
        assertThat(OPS.scopesOf("GET", "/shipments/106141412345678908")).containsExactly("ops.read");
        assertThat(OPS.scopesOf("GET", "/incidents/cold-chain%2F106141412345678908%2Fchilled"))
                .containsExactly("ops.read");
        assertThat(OPS.scopesOf("GET", "/health")).containsExactly("ops.read");
    }

    @Test
    void incidentActionsCarryTheirOperationsScopes() {
        for (String action : List.of("acknowledge", "resolve", "disposition")) {
            assertThat(OPS.scopesOf("POST", "/incidents/cold-chain%2F106141412345678908%2Fchilled/" + action))
                    .as(action).containsExactly("ops.read", "ops.write");
        }
    }

    @Test
    void unknownRoutesAndMethodsStayBehindTheTopLevelRequirement() {
        assertThat(OPS.scopesOf("GET", "/no-such-route")).containsExactly("ops.read");
        assertThat(OPS.scopesOf("DELETE", "/shipments")).containsExactly("ops.read");
        assertThat(OPS.scopesOf("GET", "/incidents/x/acknowledge")).containsExactly("ops.read");
    }

    @Test
    void theDashboardsPageAndAssetsAreServedWithoutAToken() {
        assertThat(OPS.scopesOf("GET", "/dashboard")).isNull();
        assertThat(OPS.scopesOf("GET", "/dashboard/app.js")).isNull();
        assertThat(OPS.scopesOf("GET", "/dashboard/uPlot.esm.js")).isNull();
        // only the documented GETs: another method or a deeper path stays behind the authorizer
        assertThat(OPS.scopesOf("POST", "/dashboard")).containsExactly("ops.read");
        assertThat(OPS.scopesOf("GET", "/dashboard/a/b")).containsExactly("ops.read");
    }

    @Test
    void anEmptySecurityListIsARouteWithoutAuthorizer() throws Exception {
        OpenApiRouteAuthorization doc = OpenApiRouteAuthorization.of(new ObjectMapper(new YAMLFactory()).readTree("""
                openapi: 3.1.0
                security:
                  - jwt: [a.read]
                paths:
                  /page:
                    get:
                      security: []
                  /things/{id}:
                    get: {}
                  /things/mine:
                    get:
                      security:
                        - jwt: []
                """));
        assertThat(doc.scopesOf("GET", "/page")).isNull();
        assertThat(doc.scopesOf("GET", "/things/42")).containsExactly("a.read");
        // the concrete path wins over the template, as OpenAPI orders them
        assertThat(doc.scopesOf("GET", "/things/mine")).isEmpty();
    }
}
