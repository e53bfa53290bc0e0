package io.waybill.domain.event;

/**
 * Responsibility for a shipment passed from one party to another (proof of delivery, hand-over at a hub).
 *
 * @param shipmentSscc SSCC, 18 digits with check digit
 * @param fromPartyGln GLN of the party handing over
 * @param toPartyGln   GLN of the party taking over
 * @param atGln        GLN of the place of hand-over, if known
 */
public record CustodyTransferred(String shipmentSscc, String fromPartyGln, String toPartyGln, String atGln)
        implements EventData {
    @Override
    public String subject() {
        return shipmentSscc;
    }
}
