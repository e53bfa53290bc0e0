package io.waybill.domain.partner.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The partner gateway: who sent an event is the (account, source) pair in master data, nothing in the payload. The
 * expected records are the events-samples raw files (what the ingest stream must carry), not this code's output.
 */
class PartnerIngressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THREE_PL_ACCOUNT = "111122223333";
    private static final String SUPPLIER_ACCOUNT = "444455556666";
    private static final PartnerSender SWIFTLOG = new PartnerSender("SWIFTLOG", Set.of(THREE_PL_ACCOUNT),
            Set.of("partner.3pl.swiftlog"), "swiftlog", Set.of("ShipmentStatus"));
    private static final PartnerSender NORDIC = new PartnerSender("NORDIC-PHARMA", Set.of(SUPPLIER_ACCOUNT),
            Set.of("partner.supplier.nordic-pharma"), "asn", Set.of("AdvanceShipNotice"));

    private final List<PartnerRecord> stream = new ArrayList<>();
    private final List<RefusedPartnerEvent> queue = new ArrayList<>();

    private PartnerIngress ingress(Instant now, PartnerSender... senders) {
        return new PartnerIngress(() -> List.of(senders), PartnerIngress.standardPartnerAdapters(), stream::add,
                queue::add, Clock.fixed(now, ZoneOffset.UTC), "waybill-partners");
    }

    private PartnerIngress ingress(PartnerSender... senders) {
        return ingress(Instant.parse("2026-11-27T08:00:30Z"), senders);
    }

    private static ObjectNode event(String file) {
        return (ObjectNode) SampleCatalog.json("lambda/" + file);
    }

    private static ObjectNode shipmentStatus() {
        return event("eventbridge-3pl-shipment-status.json");
    }

    private static ObjectNode advanceShipNotice() {
        return event("eventbridge-supplier-advance-ship-notice.json");
    }

    private static PartnerEvent of(ObjectNode e) {
        return PartnerEvent.of(e, e.toString());
    }

    private PartnerIngress.Outcome receive(PartnerIngress ingress, ObjectNode e) {
        return ingress.receive(of(e));
    }

    private RefusedPartnerEvent refused(ObjectNode e, RefusalReason reason, String detail) {
        PartnerIngress.Outcome o = receive(ingress(SWIFTLOG, NORDIC), e);
        assertThat(o).as("%s", o).isInstanceOf(PartnerIngress.Refused.class);
        RefusedPartnerEvent r = ((PartnerIngress.Refused) o).refusal();
        assertThat(r.reason()).as(r.detail()).isEqualTo(reason);
        assertThat(r.detail()).contains(detail);
        assertThat(stream).as("a refused event never reaches the stream").isEmpty();
        assertThat(queue).containsExactly(r);
        return r;
    }

    private static ObjectNode changed(ObjectNode e, Consumer<ObjectNode> change) {
        change.accept(e);
        return e;
    }

    @Test
    void threePlStatusBecomesTheRawRecordTheSwiftlogRouteCarries() throws Exception {
        receive(ingress(Instant.ofEpochMilli(1_795_766_430_000L), SWIFTLOG, NORDIC), shipmentStatus());

        // raw/swiftlog/departed.json is the record as the ingest stream must carry it: same route, same receive time
        ObjectNode expected = (ObjectNode) SampleCatalog.json("raw/swiftlog/departed.json");
        expected.put("wb_partner_event_id", "3b9e4f0a-6c1d-4a7e-8f2b-5d0c9e1a7b34");
        assertThat(stream).hasSize(1);
        assertThat(JSON.readTree(stream.get(0).json())).isEqualTo(expected);
        assertThat(stream.get(0).partitionKey()).as("the SSCC, 18 digits").isEqualTo("106141412345678908");
        assertThat(stream.get(0).partnerId()).isEqualTo("SWIFTLOG");
        assertThat(queue).isEmpty();
    }

    @Test
    void supplierNoticeBecomesTheRawAsnSample() throws Exception {
        // the sample was received at 08:15:03Z = 1795680903000 ms; the envelope's own time (08:15:02Z) is the sender's
        receive(ingress(Instant.ofEpochMilli(1_795_680_903_000L), SWIFTLOG, NORDIC), advanceShipNotice());

        assertThat(stream).hasSize(1);
        assertThat(JSON.readTree(stream.get(0).json())).isEqualTo(SampleCatalog.json("raw/asn/advance-ship-notice.json"));
        assertThat(stream.get(0).partitionKey()).isEqualTo("006141410000007318");
    }

    @Test
    void receiveTimeIsThisFunctionsClockNotTheSendersEnvelopeTime() throws Exception {
        ObjectNode e = changed(advanceShipNotice(), n -> n.put("time", "2030-01-01T00:00:00Z"));
        receive(ingress(Instant.parse("2026-11-26T08:15:03Z"), NORDIC), e);
        assertThat(JSON.readTree(stream.get(0).json()).path("wb_received_ms").asLong()).isEqualTo(1_795_680_903_000L);
    }

    @Test
    void aPayloadNamingAnotherPartnerOrAdapterDoesNotChangeTheRoute() throws Exception {
        ObjectNode e = changed(shipmentStatus(), n -> {
            n.with("detail").put("partnerId", "NORDIC-PHARMA");
            n.with("detail").put("adapter", "asn");
            n.with("detail").put("route", "asn/NORDIC-PHARMA");
        });
        receive(ingress(SWIFTLOG, NORDIC), e);
        assertThat(JSON.readTree(stream.get(0).json()).path("wb_route").asText()).isEqualTo("swiftlog/SWIFTLOG");
    }

    @Test
    void aDetailCarryingARoutingFieldIsRefused() {
        refused(changed(shipmentStatus(), n -> n.with("detail").put("wb_route", "asn/NORDIC-PHARMA")),
                RefusalReason.ROUTING_FIELD_IN_DETAIL, "wb_route");
    }

    @Test
    void anyWbFieldInTheDetailIsRefusedNotOnlyTheKnownOnes() {
        refused(changed(advanceShipNotice(), n -> n.with("detail").put("wb_sig", "x")),
                RefusalReason.ROUTING_FIELD_IN_DETAIL, "wb_sig");
    }

    @Test
    void anUnknownAccountIsRefusedWhateverSourceItClaims() {
        // a third account puts the 3PL's source and detail-type: the source alone identifies no one
        RefusedPartnerEvent r = refused(changed(shipmentStatus(), n -> n.put("account", "999988887777")),
                RefusalReason.UNKNOWN_SENDER, "account 999988887777 with source partner.3pl.swiftlog");
        assertThat(r.event().raw()).as("the raw event, replayable").contains("SL-20261127-000981", "999988887777");
        assertThat(r.bus()).isEqualTo("waybill-partners");
    }

    @Test
    void aKnownAccountCannotSendAsAnotherPartnersSource() {
        // the 3PL's account using the supplier's source and detail-type: it would otherwise become an asn route
        refused(changed(advanceShipNotice(), n -> n.put("account", THREE_PL_ACCOUNT)), RefusalReason.UNKNOWN_SENDER,
                "account 111122223333 with source partner.supplier.nordic-pharma");
    }

    @Test
    void aDetailTypeThePartnerIsNotRegisteredForIsRefused() {
        refused(changed(shipmentStatus(), n -> n.put("detail-type", "AdvanceShipNotice")),
                RefusalReason.DETAIL_TYPE_NOT_REGISTERED, "SWIFTLOG is not registered for detail-type AdvanceShipNotice");
    }

    @Test
    void twoPartnersRegisteredForOnePairAreRefusedAsAmbiguous() {
        PartnerSender twin = new PartnerSender("SWIFTLOG-EU", Set.of(THREE_PL_ACCOUNT), Set.of("partner.3pl.swiftlog"),
                "swiftlog", Set.of("ShipmentStatus"));
        PartnerIngress.Outcome o = receive(ingress(SWIFTLOG, twin), shipmentStatus());
        assertThat(((PartnerIngress.Refused) o).refusal().reason()).isEqualTo(RefusalReason.AMBIGUOUS_SENDER);
        assertThat(stream).isEmpty();
    }

    @Test
    void aPartnerRegisteredWithADeviceAdapterIsRefused() {
        // master data naming a device adapter would let a partner write a device's route
        PartnerSender posing = new PartnerSender("SWIFTLOG", Set.of(THREE_PL_ACCOUNT), Set.of("partner.3pl.swiftlog"),
                "thermotrack", Set.of("ShipmentStatus"));
        PartnerIngress.Outcome o = receive(ingress(posing), shipmentStatus());
        assertThat(((PartnerIngress.Refused) o).refusal().reason()).isEqualTo(RefusalReason.ADAPTER_NOT_PARTNER);
        assertThat(stream).isEmpty();
    }

    @Test
    void anEventWithoutAnObjectDetailOrAnAccountIsMalformed() {
        refused(changed(shipmentStatus(), n -> n.remove("detail")), RefusalReason.MALFORMED_EVENT, "detail");
        queue.clear();
        refused(changed(shipmentStatus(), n -> n.putArray("detail")), RefusalReason.MALFORMED_EVENT, "detail");
        queue.clear();
        refused(changed(shipmentStatus(), n -> n.remove("account")), RefusalReason.MALFORMED_EVENT, "account");
    }

    @Test
    void theStandardPartnerAdaptersAreTheNonDeviceOnes() {
        assertThat(PartnerIngress.standardPartnerAdapters()).contains("swiftlog", "waybill-plan", "asn")
                .doesNotContain("thermotrack", "coldchainco", "frostbyte", "rfid-portal", "gps-tracker", "waybill-edge");
    }

    @Test
    void partitionKeyIsTheShipmentElseThePartner() {
        JsonNode urn = JSON.createObjectNode().put("sscc", "urn:epc:id:sscc:0614141.1234567890");
        // urn:epc:id:sscc:0614141.1234567890 -> extension 1, prefix 0614141, serial 234567890, check digit 8
        assertThat(PartnerIngress.partitionKey(urn, "P")).isEqualTo("106141412345678908");
        assertThat(PartnerIngress.partitionKey(JSON.createObjectNode(), "P")).isEqualTo("P");
        assertThat(PartnerIngress.partitionKey(JSON.createObjectNode().put("sscc", "123"), "P")).isEqualTo("P");
    }

    @Test
    void aStreamThatCannotTakeTheRecordFailsTheDeliverySoItIsRetried() {
        PartnerIngress failing = new PartnerIngress(() -> List.of(SWIFTLOG), PartnerIngress.standardPartnerAdapters(),
                r -> {
                    throw new TransientDependencyException("ingest stream", "throttled", null);
                }, queue::add, Clock.systemUTC(), null);
        assertThatThrownBy(() -> failing.receive(of(shipmentStatus()))).isInstanceOf(TransientDependencyException.class);
        assertThat(queue).as("not refused: the event is fine").isEmpty();
    }
}
