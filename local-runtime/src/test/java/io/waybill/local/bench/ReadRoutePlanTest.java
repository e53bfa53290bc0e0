package io.waybill.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read routes P10 calls come from the document: every GET, path parameters filled from the list route above them.
 * The document and the list responses are written here; the expected paths by hand.
 */
class ReadRoutePlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = """
            openapi: 3.1.0
            paths:
              /shipments:
                get: {operationId: listShipments}
              /shipments/{sscc}:
                get: {operationId: getShipment}
              /shipments/{sscc}/history:
                get: {operationId: shipmentHistory}
              /incidents:
                get: {operationId: listIncidents}
              /incidents/{incidentId}:
                get: {operationId: getIncident}
              /incidents/{incidentId}/acknowledge:
                post: {operationId: acknowledge}
              /dead-letters:
                get: {operationId: listDeadLetters}
              /dead-letters/{id}:
                get: {operationId: getDeadLetter}
              /devices/{deviceId}:
                get: {operationId: getDevice}
            """;

    private static ReadRoutePlan plan() throws Exception {
        return ReadRoutePlan.of(new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT));
    }

    @Test
    void everyGetOfTheDocumentInItsOrderAndNoPost() throws Exception {
        assertThat(plan().routes()).extracting(ReadRoutePlan.Route::template).containsExactly("/shipments",
                "/shipments/{sscc}", "/shipments/{sscc}/history", "/incidents", "/incidents/{incidentId}",
                "/dead-letters", "/dead-letters/{id}", "/devices/{deviceId}");
    }

    @Test
    void parametersAreFilledFromTheListRouteAboveAndSkippedWithAReasonWhenTheyCannotBe() throws Exception {
        Map<String, String> bodies = Map.of(
                "/shipments", "{\"items\":[{\"sscc\":\"106000000000000011\"},{\"sscc\":\"106000000000000012\"}]}",
                "/incidents", "{\"items\":[{\"incidentId\":\"cold-chain/106000000000000011/chilled\"}]}",
                "/dead-letters", "{\"items\":[]}");
        List<String> asked = new ArrayList<>();
        List<ReadRoutePlan.Target> targets = plan().resolve(path -> {
            asked.add(path);
            String body = bodies.get(path);
            try {
                return body == null ? Optional.empty() : Optional.of((JsonNode) JSON.readTree(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> described = targets.stream().map(t -> t instanceof ReadRoutePlan.Call c ? "call " + c.path()
                : "skip " + ((ReadRoutePlan.Skip) t).reason()).toList();
        assertThat(described).containsExactly(
                "call /shipments",
                "call /shipments/106000000000000011", // the first item's sscc
                "call /shipments/106000000000000011/history",
                "call /incidents",
                "call /incidents/cold-chain%2F106000000000000011%2Fchilled", // '/' encoded: one segment
                "call /dead-letters",
                "skip no item of GET /dead-letters has 'id' (none stored)",
                "skip no list route in the document to take {deviceId} from"); // no GET /devices in this document
        assertThat(asked).containsExactly("/shipments", "/shipments", "/incidents", "/dead-letters");
    }

    @Test
    void aListThatDoesNotAnswerSkipsItsItems() throws Exception {
        List<ReadRoutePlan.Target> targets = plan().resolve(path -> Optional.empty());
        assertThat(targets.get(1)).isEqualTo(new ReadRoutePlan.Skip(plan().routes().get(1),
                "GET /shipments did not answer 200 with JSON"));
    }

    @Test
    void anIdParameterFallsBackToTheItemsIdAndAnExampleIsUsedAsIs() throws Exception {
        ReadRoutePlan plan = ReadRoutePlan.of(new ObjectMapper(new YAMLFactory()).readTree("""
                openapi: 3.1.0
                paths:
                  /dead-letters:
                    get: {operationId: listDeadLetters}
                  /dead-letters/{deadLetterId}:
                    get: {operationId: getDeadLetter}
                  /dashboard/{asset}:
                    get:
                      parameters:
                        - {name: asset, in: path, required: true, examples: [app.js]}
                """));
        List<String> asked = new ArrayList<>();
        List<ReadRoutePlan.Target> targets = plan.resolve(path -> {
            asked.add(path);
            try {
                return Optional.of((JsonNode) JSON.readTree("{\"items\":[{\"id\":\"ab12\"}]}"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(targets).extracting(t -> ((ReadRoutePlan.Call) t).path())
                .containsExactly("/dead-letters", "/dead-letters/ab12", "/dashboard/app.js");
        assertThat(asked).containsExactly("/dead-letters"); // the example needs no list
    }
}
