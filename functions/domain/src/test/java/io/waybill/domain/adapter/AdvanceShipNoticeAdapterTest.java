package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supplier's advance ship notice ({@code asn}, events-samples/README.md). The sample's whole canonical event
 * (worked out by hand, content hash from the Python oracle) is checked by {@code SampleNormalizationTest}; here the
 * values worked out by hand field by field, what the format refuses, and that the partner event id is transport.
 */
class AdvanceShipNoticeAdapterTest {
    private final RecordNormalizer normalizer = new RecordNormalizer(AdapterRegistry.standard(),
            NormalizerConfig.defaults(), Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));

    private static ObjectNode notice() {
        return (ObjectNode) SampleCatalog.json("raw/asn/advance-ship-notice.json");
    }

    private NormalizationResult normalise(ObjectNode raw) {
        return normalizer.normalize(RawRecord.of(raw.toString().getBytes(StandardCharsets.UTF_8), "test"));
    }

    private CanonicalEvent accepted(ObjectNode raw) {
        NormalizationResult r = normalise(raw);
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Normalized.class);
        return ((NormalizationResult.Normalized) r).event();
    }

    private void rejected(Consumer<ObjectNode> change, RejectionReason reason, String detail) {
        ObjectNode raw = notice();
        change.accept(raw);
        NormalizationResult r = normalise(raw);
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Rejected.class);
        NormalizationResult.Rejected rejected = (NormalizationResult.Rejected) r;
        assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
        assertThat(rejected.detail()).contains(detail);
    }

    @Test
    void aNoticeIsAPartnerMessageNotADevicesOne() {
        assertThat(AdapterRegistry.standard().require("asn").device()).isFalse();
    }

    @Test
    void noticeBecomesThePlanWorkedOutByHand() {
        CanonicalEvent e = accepted(notice());
        // issuedAt 09:15 +01:00 = 08:15Z; expectedDelivery 09:30 +01:00 = 08:30Z next day; (00)006141410000007318:
        // check digit of 00614141000000731 by the GS1 weights 3,1,3,... from the right = 8.
        assertThat(e.id()).isEqualTo("ASN-2026-000731-r1");
        assertThat(e.source()).isEqualTo("urn:waybill:asn:NORDIC-PHARMA");
        assertThat(e.devicetime()).isEqualTo(Instant.parse("2026-11-26T08:15:00Z"));
        assertThat(e.data()).isEqualTo(new ShipmentPlanned("006141410000007318", "chilled-biologics-2-8",
                "0614141000012", "4012345000009", Instant.parse("2026-11-26T14:00:00Z"),
                Instant.parse("2026-11-27T08:30:00Z"), List.of(), "0614141000029", "4012345000016"));
    }

    @Test
    void theProducerIsTheRoutesPartnerNotAPayloadField() {
        ObjectNode raw = notice();
        raw.with("supplier").put("partnerId", "ACME-TMS");
        raw.put("partnerId", "ACME-TMS");
        assertThat(accepted(raw).source()).isEqualTo("urn:waybill:asn:NORDIC-PHARMA");
    }

    @Test
    void thePartnerEventIdIsATransportStampNotContent() {
        CanonicalEvent first = accepted(notice());
        ObjectNode again = notice();
        again.put("wb_partner_event_id", "a-new-put-of-the-same-notice");
        CanonicalEvent second = accepted(again);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.contenthash()).isEqualTo(first.contenthash());
        ObjectNode changed = notice();
        changed.put("expectedDelivery", "2026-11-27T10:30:00+01:00");
        assertThat(accepted(changed).contenthash()).as("another delivery date is other content")
                .isNotEqualTo(first.contenthash());
    }

    @Test
    void eachRevisionIsItsOwnEvent() {
        ObjectNode r2 = notice();
        r2.put("revision", 2);
        assertThat(accepted(r2).id()).isEqualTo("ASN-2026-000731-r2");
    }

    @Test
    void buyerIsOptionalAndSoIsTheExpectedDelivery() {
        ObjectNode raw = notice();
        raw.remove("buyer");
        raw.remove("expectedDelivery");
        ShipmentPlanned p = (ShipmentPlanned) accepted(raw).data();
        assertThat(p.consigneeGln()).isNull();
        assertThat(p.plannedArrival()).isNull();
    }

    @Test
    void glnWithAWrongCheckDigitIsRefused() {
        // 401234500000 -> weights 3,1,... from the right give check digit 9; 8 is wrong
        rejected(n -> n.with("shipTo").put("gln", "4012345000008"), RejectionReason.INVALID_IDENTITY, "shipTo.gln");
        rejected(n -> n.with("supplier").put("gln", "0614141000028"), RejectionReason.INVALID_IDENTITY, "supplier.gln");
    }

    @Test
    void arrivalBeforeDepartureIsRefused() {
        // 14:59 +01:00 = 13:59Z, one minute before the 14:00Z ship date
        rejected(n -> n.put("expectedDelivery", "2026-11-26T14:59:00+01:00"), RejectionReason.IMPOSSIBLE_VALUE,
                "before shipDate");
    }

    @Test
    void arrivalAtTheShipDateItselfIsAccepted() {
        ObjectNode raw = notice();
        raw.put("expectedDelivery", "2026-11-26T15:00:00+01:00");
        assertThat(((ShipmentPlanned) accepted(raw).data()).plannedArrival()).isEqualTo(Instant.parse("2026-11-26T14:00:00Z"));
    }

    @Test
    void missingFieldsAreRefused() {
        rejected(n -> n.remove("asnNumber"), RejectionReason.MISSING_FIELD, "asnNumber");
        rejected(n -> n.remove("shipDate"), RejectionReason.MISSING_FIELD, "shipDate");
        rejected(n -> n.remove("supplier"), RejectionReason.MISSING_FIELD, "supplier.gln");
        rejected(n -> n.remove("productClass"), RejectionReason.MISSING_FIELD, "productClass");
    }

    @Test
    void badNumbersAndNamesAreRefused() {
        rejected(n -> n.put("revision", -1), RejectionReason.IMPOSSIBLE_VALUE, "revision");
        rejected(n -> n.put("asnNumber", "ASN 731"), RejectionReason.IMPOSSIBLE_VALUE, "asnNumber");
        rejected(n -> n.put("productClass", "-frozen"), RejectionReason.IMPOSSIBLE_VALUE, "productClass");
        rejected(n -> n.put("sscc", "(00)006141410000007317"), RejectionReason.INVALID_IDENTITY, "sscc");
    }
}
