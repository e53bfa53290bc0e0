package io.waybill.domain.adapter;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Adapters registered by id; a record's {@code wb_route} picks one. Immutable. */
public final class AdapterRegistry {
    private final Map<String, VendorAdapter> byId;

    public AdapterRegistry(Collection<? extends VendorAdapter> adapters) {
        this.byId = adapters.stream().collect(Collectors.toMap(VendorAdapter::id, Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException("two adapters registered as '" + a.id() + "'");
                }, TreeMap::new));
    }

    /**
     * Every adapter Waybill ships: three temperature-logger vendors, an RFID portal, a GPS tracker, a 3PL,
     * Waybill's own Greengrass edge component, Waybill's shipment master data (plans) from planning systems, a
     * supplier's advance ship notices and partners' GS1 EPCIS 2.0 events. The partner adapters
     * ({@link VendorAdapter#device()} false: swiftlog, waybill-plan, asn, epcis) are reached through partner routes only.
     */
    public static AdapterRegistry standard() {
        return new AdapterRegistry(List.of(new ThermoTrackAdapter(), new ColdChainCoAdapter(), new FrostByteAdapter(),
                new RfidPortalAdapter(), new GpsTrackerAdapter(), new SwiftLogPartnerAdapter(),
                new WaybillEdgeAdapter(), new WaybillPlanAdapter(), new AdvanceShipNoticeAdapter(), new EpcisAdapter()));
    }

    public VendorAdapter require(String id) {
        VendorAdapter a = byId.get(id);
        if (a == null) {
            throw new RejectedRecordException(RejectionReason.UNKNOWN_ADAPTER,
                    "no adapter registered for '" + id + "' (known: " + String.join(", ", byId.keySet()) + ")");
        }
        return a;
    }

    public Collection<String> ids() {
        return byId.keySet();
    }
}
