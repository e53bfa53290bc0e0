package io.waybill.partneringress;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.ingress.PartnerIngress;
import io.waybill.domain.partner.ingress.PartnerRecord;
import io.waybill.domain.partner.ingress.PartnerSender;
import io.waybill.domain.partner.ingress.RefusedPartnerEvent;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The handler as Lambda calls it: the event deserialised into a map (as the Java runtime does for a
 * {@code Map<String, Object>} input). The expected record is the events-samples raw file.
 */
class PartnerIngressHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PartnerSender NORDIC = new PartnerSender("NORDIC-PHARMA", Set.of("444455556666"),
            Set.of("partner.supplier.nordic-pharma"), "asn", Set.of("AdvanceShipNotice"));

    private final List<PartnerRecord> stream = new ArrayList<>();
    private final List<RefusedPartnerEvent> refused = new ArrayList<>();

    private PartnerIngressHandler handler() {
        return new PartnerIngressHandler(new PartnerIngress(() -> List.of(NORDIC),
                PartnerIngress.standardPartnerAdapters(), stream::add, refused::add,
                Clock.fixed(Instant.ofEpochMilli(1_795_680_903_000L), ZoneOffset.UTC), "waybill-partners"),
                new PartnerIngressTelemetry(null));
    }

    private static Map<String, Object> lambdaInput(String file) throws Exception {
        return JSON.readValue(SampleCatalog.bytes("lambda/" + file), new TypeReference<>() { });
    }

    @Test
    void anAdvanceShipNoticeFromItsSupplierIsAdmittedAsTheRawAsnSample() throws Exception {
        Map<String, Object> response = handler().handleRequest(lambdaInput("eventbridge-supplier-advance-ship-notice.json"), null);

        assertThat(response).containsEntry("outcome", "ADMITTED").containsEntry("partner", "NORDIC-PHARMA");
        assertThat(JSON.readTree(stream.get(0).json())).isEqualTo(SampleCatalog.json("raw/asn/advance-ship-notice.json"));
        assertThat(refused).isEmpty();
    }

    @Test
    void anEventFromAnUnregisteredAccountIsRefusedAndTheInvocationSucceeds() throws Exception {
        Map<String, Object> response = handler().handleRequest(lambdaInput("eventbridge-3pl-shipment-status.json"), null);

        assertThat(response).containsEntry("outcome", "REFUSED").containsEntry("reason", "UNKNOWN_SENDER");
        assertThat(stream).isEmpty();
        assertThat(JSON.readTree(refused.get(0).event().raw()))
                .isEqualTo(SampleCatalog.json("lambda/eventbridge-3pl-shipment-status.json"));
    }

    @Test
    void textThatIsNotJsonIsRefusedAsMalformedWithTheText() {
        assertThat(handler().handle("not json")).containsEntry("reason", "MALFORMED_EVENT");
        assertThat(refused.get(0).event().raw()).isEqualTo("not json");
    }

    @Test
    void aStreamFailureFailsTheInvocationSoTheEventIsDeliveredAgain() throws Exception {
        PartnerIngressHandler failing = new PartnerIngressHandler(new PartnerIngress(() -> List.of(NORDIC),
                PartnerIngress.standardPartnerAdapters(), r -> {
                    throw new TransientDependencyException("ingest stream", "throttled", null);
                }, refused::add, Clock.systemUTC(), null), new PartnerIngressTelemetry(null));
        Map<String, Object> input = lambdaInput("eventbridge-supplier-advance-ship-notice.json");
        assertThatThrownBy(() -> failing.handleRequest(input, null)).isInstanceOf(TransientDependencyException.class);
        assertThat(refused).isEmpty();
    }
}
