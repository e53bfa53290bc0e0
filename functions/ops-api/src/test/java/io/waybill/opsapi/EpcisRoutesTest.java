package io.waybill.opsapi;

import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EpcisCaptureAndQueryScenario} on a repository in maps, and what only the routes decide. */
class EpcisRoutesTest extends EpcisCaptureAndQueryScenario {
    private InMemoryEpcisRepository repository;

    @Override
    protected EpcisRepository repository() {
        repository = new InMemoryEpcisRepository();
        return repository;
    }

    @Test
    void aStageWithoutEpcisSaysSo() {
        handler = new OpsApiHandler(new OpsApi(List.of(EpcisRoutes.off())));
        Reply r = call("GET", "/epcis/events", null, PARTNER_TOKEN, Map.of(), null);
        assertThat(r.expect(501).get("type").asText()).isEqualTo("epcisException:ImplementationException");
    }

    @Test
    void everyEpcisOperationIsServed() {
        Reply captured = capture("SensorDataExample1.jsonld", null);
        List<String> served = new java.util.ArrayList<>();
        for (String op : OpsApiContract.operations()) {
            String[] mp = op.split(" ");
            if (!mp[1].startsWith("/epcis")) {
                continue;
            }
            String path = mp[1].replace("{captureID}", captured.header("Location").substring("/epcis/capture/".length()))
                    .replace("{eventID}", enc(E));
            Reply r = mp[0].equals("POST") ? call("POST", path, null, PARTNER_TOKEN, Map.of("Content-Type",
                    "application/ld+json"), path.endsWith("capture") ? example("SensorDataExample2.jsonld")
                    : single("Example_9.6.4-TransformationEvent.jsonld", 0))
                    : call("GET", path, null, PARTNER_TOKEN, Map.of(), null);
            assertThat(r.status()).as(op).isEqualTo(mp[0].equals("GET") ? 200 : path.endsWith("capture") ? 202 : 201);
            served.add(op);
        }
        assertThat(served).containsExactlyInAnyOrder("POST /epcis/capture", "GET /epcis/capture",
                "GET /epcis/capture/{captureID}", "POST /epcis/events", "GET /epcis/events",
                "GET /epcis/events/{eventID}");
    }
}
