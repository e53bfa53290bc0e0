package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.BreachMoment;
import io.waybill.domain.coldchain.BreachPolicy;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ExposureTotals;
import io.waybill.domain.coldchain.ProbeExposure;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventType;
import io.waybill.domain.projection.ShipmentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes below one shipment: {@code GET /shipments/{sscc}/temperatures} (readings per probe for a plot, with
 * gaps and excursions computed by {@link TemperatureTrace}) and {@code GET /shipments/{sscc}/history} (its stored
 * events, paginated). {@link ShipmentRoutes} hands it the three-segment paths.
 */
public final class ShipmentDetailRoutes {
    /** The most points one temperatures response carries; {@code truncated} says there were more. */
    static final int MAX_POINTS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(ShipmentDetailRoutes.class);

    private final ShipmentReadModel shipments;
    private final ShipmentEventReadModel events;
    private final ShipmentExposureReadModel exposures;
    private final ProductClassCatalog catalog;

    /**
     * @param exposures the cold-chain evidence store's running exposure, or null when the API is not given it
     * @param catalog   the product classes the band and gap rule come from
     */
    public ShipmentDetailRoutes(ShipmentReadModel shipments, ShipmentEventReadModel events,
                         ShipmentExposureReadModel exposures, ProductClassCatalog catalog) {
        this.shipments = Objects.requireNonNull(shipments, "shipments");
        this.events = Objects.requireNonNull(events, "events");
        this.exposures = exposures;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The shipment's running exposure, when the store is configured and holds one. */
    Optional<ShipmentExposure> exposure(String sscc) {
        return exposures == null ? Optional.empty() : exposures.exposure(sscc);
    }

    /**
     * The running exposure as {@code GET /shipments/{sscc}} shows it: per probe the figures against the band of the
     * exposure's product class (excursion reports ahead of the readings included, as the decision counts them), the
     * worst probe (the decision's, else the one with the most time out of range, then degree-minutes, then name) and
     * the decision's standing when one was made. Without a known class the probes' raw totals are shown, no MKT.
     */
    ObjectNode exposureJson(ShipmentExposure x) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        Json.text(n, "productClass", x.productClass());
        Optional<TemperatureBand> band = catalog.find(x.productClass()).map(ProductClass::band);
        ShipmentExposure.Standing st = x.standing();
        if (st != null && st.decidedAt() != null) {
            ObjectNode d = n.putObject("decision");
            d.put("status", st.status().name());
            Json.instant(d, "breachSince", st.breachSince());
            Json.instant(d, "decidedAt", st.decidedAt());
            d.put("pending", st.pending());
        }
        ArrayNode probes = n.putArray("probes");
        String worst = null;
        double worstTor = -1;
        double worstDm = -1;
        for (ProbeExposure p : new java.util.TreeMap<>(x.probes()).values()) {
            ObjectNode pn = probes.addObject();
            pn.put("probe", p.probeId());
            double tor;
            double dm;
            if (band.isPresent()) {
                ExposureFigures f = p.figures(band.get());
                pn.put("readings", f.readings());
                f.firstTime().ifPresent(t -> pn.put("from", t.toString()));
                f.lastTime().ifPresent(t -> pn.put("to", t.toString()));
                pn.put("aboveSeconds", seconds(f.timeAbove().toMillis()));
                pn.put("belowSeconds", seconds(f.timeBelow().toMillis()));
                pn.put("unknownSeconds", seconds(f.unknown().toMillis()));
                pn.put("degreeMinutesAbove", f.degreeMinutesAbove());
                pn.put("degreeMinutesBelow", f.degreeMinutesBelow());
                f.mktCelsius().ifPresent(v -> pn.put("mktCelsius", v));
                tor = f.timeOutOfRange().toMillis();
                dm = f.degreeMinutesOutOfRange();
            } else {
                ExposureTotals t = p.totals();
                pn.put("readings", t.readings());
                Json.instant(pn, "from", p.firstTime());
                Json.instant(pn, "to", p.lastTime());
                pn.put("aboveSeconds", seconds(t.aboveMillis()));
                pn.put("belowSeconds", seconds(t.belowMillis()));
                pn.put("unknownSeconds", seconds(t.unknownMillis()));
                pn.put("degreeMinutesAbove", t.degreeMinutesAbove());
                pn.put("degreeMinutesBelow", t.degreeMinutesBelow());
                tor = t.aboveMillis() + t.belowMillis();
                dm = t.degreeMinutesAbove() + t.degreeMinutesBelow();
            }
            if (p.minCelsius() != null) {
                pn.put("minCelsius", p.minCelsius());
            }
            if (p.maxCelsius() != null) {
                pn.put("maxCelsius", p.maxCelsius());
            }
            if (tor > worstTor || (tor == worstTor && dm > worstDm)) {
                worst = p.probeId();
                worstTor = tor;
                worstDm = dm;
            }
        }
        String decided = st == null || st.decidedAt() == null ? null : st.worstProbe();
        Json.text(n, "worstProbe", decided != null ? decided : worst);
        return n;
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    /** A response for {@code /shipments/{sscc}/<segment 2>}, or null when no such route. */
    ApiResponse route(Call call) {
        String sub = call.segment(2);
        if (sub.equals("temperatures")) {
            call.allow("GET", Caller.READ);
            return temperatures(call, ShipmentRoutes.sscc(call.decoded(1, "sscc")));
        }
        if (sub.equals("history")) {
            call.allow("GET", Caller.READ);
            return history(call, ShipmentRoutes.sscc(call.decoded(1, "sscc")));
        }
        return null;
    }

    private ApiResponse temperatures(Call call, String sscc) {
        Instant[] range = range(call.query());
        ShipmentState s = shipments.find(sscc).orElseThrow(() -> Problem.notFound("no shipment " + sscc));
        String productClass = s.plan() == null ? null : s.plan().productClass();
        Optional<ProductClass> pc = catalog.find(productClass);
        Duration maxGap = pc.map(c -> c.policy().maxInterpolationGap())
                .orElse(BreachPolicy.DEFAULT_MAX_INTERPOLATION_GAP);
        List<ShipmentEventReadModel.StoredEvent> stored = events.first(sscc,
                new ShipmentEventReadModel.Filter(EventType.TEMPERATURE_OBSERVED.type(), range[0], range[1]),
                MAX_POINTS);
        boolean truncated = stored.size() > MAX_POINTS;
        List<ExposureEvidence> evidence = evidence(stored);
        List<TemperatureTrace.Reading> readings = new ArrayList<>(evidence.size());
        for (ExposureEvidence x : evidence) {
            reading(x).ifPresent(readings::add);
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sscc", sscc);
        Json.text(n, "productClass", productClass);
        pc.ifPresent(c -> {
            ObjectNode band = n.putObject("band");
            c.band().lowerBound().ifPresent(v -> band.put("minCelsius", v));
            c.band().upperBound().ifPresent(v -> band.put("maxCelsius", v));
        });
        boolean whole = range[0] == null && range[1] == null;
        Instant breachAt = decidedBreachMoment(s, whole ? evidence : null)
                .orElse(s.lastBreachAt());
        Json.instant(n, "breachAt", breachAt);
        ArrayNode probes = n.putArray("probes");
        for (TemperatureTrace.Probe p : TemperatureTrace.of(readings, pc.map(ProductClass::band).orElse(null), maxGap)) {
            ObjectNode pn = probes.addObject();
            pn.put("probe", p.probe());
            ArrayNode points = pn.putArray("points");
            p.points().forEach(r -> {
                ObjectNode point = points.addObject().put("at", r.at().toString()).put("celsius", r.celsius());
                if (r.window()) {
                    point.put("from", r.from().toString()).put("minCelsius", r.minCelsius())
                            .put("maxCelsius", r.maxCelsius());
                }
            });
            ArrayNode gaps = pn.putArray("gaps");
            p.gaps().forEach(g -> gaps.addObject().put("from", g.from().toString()).put("to", g.to().toString()));
            ArrayNode excursions = pn.putArray("excursions");
            p.excursions().forEach(x -> excursions.addObject().put("from", x.from().toString())
                    .put("to", x.to().toString()).put("side", x.side().name()).put("peakCelsius", x.peakCelsius()));
        }
        n.put("truncated", truncated);
        return call.ok(n);
    }

    /**
     * When the cold-chain decision's breach happened on the readings' time line ({@link BreachMoment}): only for a
     * shipment the decision breached (its standing is BREACHED, or a decision put it on hold), judged under the class
     * the decision used (the running exposure's, else the plan's), over the shipment's readings from the start of the
     * trip (the first {@value #MAX_POINTS}). Empty when the decision did not breach, the class is unknown, or the
     * moment lies beyond the readings read.
     *
     * @param whole the shipment's evidence from the start already read (its first {@value #MAX_POINTS} readings), or
     *              null to read it
     */
    private Optional<Instant> decidedBreachMoment(ShipmentState s, List<ExposureEvidence> whole) {
        String sscc = s.shipmentSscc();
        Optional<ShipmentExposure> x = exposure(sscc);
        boolean breached = x.map(e -> e.standing().status() == ExposureStatus.BREACHED).orElse(false)
                || s.qualityHoldAt() != null;
        String className = x.map(ShipmentExposure::productClass)
                .orElse(s.plan() == null ? null : s.plan().productClass());
        Optional<ProductClass> pc = catalog.find(className);
        if (!breached || pc.isEmpty()) {
            return Optional.empty();
        }
        List<ExposureEvidence> evidence = whole;
        if (evidence == null) {
            List<ShipmentEventReadModel.StoredEvent> stored = events.first(sscc,
                    new ShipmentEventReadModel.Filter(EventType.TEMPERATURE_OBSERVED.type(), null, null), MAX_POINTS);
            evidence = evidence(stored);
        }
        // truncated or not, a moment found among the first readings is the first moment: later readings cannot move it
        return BreachMoment.first(sscc, pc.get(), evidence);
    }

    /** The observations among the first {@value #MAX_POINTS} stored events, as the cold chain takes them. */
    private static List<ExposureEvidence> evidence(List<ShipmentEventReadModel.StoredEvent> stored) {
        List<ExposureEvidence> out = new ArrayList<>(Math.min(stored.size(), MAX_POINTS));
        for (ShipmentEventReadModel.StoredEvent e : stored.subList(0, Math.min(stored.size(), MAX_POINTS))) {
            evidence(e).ifPresent(out::add);
        }
        return out;
    }

    /** The evidence an observation event carries (its probe, window, mean and extremes), if it is one. */
    static Optional<ExposureEvidence> evidence(ShipmentEventReadModel.StoredEvent stored) {
        try {
            CanonicalEvent e = CanonicalEventJson.fromJson(Json.MAPPER.readTree(stored.json()));
            return ExposureEvidence.of(e).filter(x -> x.kind() != ExposureEvidence.Kind.EXCURSION);
        } catch (java.io.IOException | RuntimeException ex) {
            LOG.warn("stored event {} is not a readable observation: {}", stored.eventId(), ex.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The reading an observation event carries: its probe and the end of its window with its mean, and for a window
     * summary its start, minimum and maximum.
     */
    static Optional<TemperatureTrace.Reading> reading(ShipmentEventReadModel.StoredEvent stored) {
        return evidence(stored).flatMap(ShipmentDetailRoutes::reading);
    }

    private static Optional<TemperatureTrace.Reading> reading(ExposureEvidence x) {
        if (x.kind() == ExposureEvidence.Kind.EXCURSION) {
            return Optional.empty();
        }
        // a summary's mean lies between its extremes; a rounded one is kept inside them
        return Optional.of(new TemperatureTrace.Reading(x.probeId(), x.start(), x.end(), x.celsius(),
                Math.min(x.minCelsius(), x.celsius()), Math.max(x.maxCelsius(), x.celsius())));
    }

    private ApiResponse history(Call call, String sscc) {
        Query q = call.query();
        Instant[] range = range(q);
        String type = q.text("type", 128);
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        if (shipments.find(sscc).isEmpty()) {
            throw Problem.notFound("no shipment " + sscc);
        }
        Page<ShipmentEventReadModel.StoredEvent> page = events.history(sscc,
                new ShipmentEventReadModel.Filter(type, range[0], range[1]), token, limit);
        return call.page(page, ShipmentDetailRoutes::eventJson);
    }

    static ObjectNode eventJson(ShipmentEventReadModel.StoredEvent e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("eventId", e.eventId());
        n.put("type", e.type());
        n.put("eventTime", e.eventTime().toString());
        Json.instant(n, "recordedAt", e.recordedAt());
        n.put("source", e.source() == null || e.source().isEmpty() ? "unknown" : e.source());
        JsonNode stored;
        try {
            stored = Json.MAPPER.readTree(e.json());
        } catch (java.io.IOException ex) {
            stored = null;
        }
        JsonNode data = stored == null ? null : stored.get("data");
        if (data != null && data.hasNonNull("deviceId") && data.get("deviceId").isTextual()) {
            n.put("deviceId", data.get("deviceId").asText());
        }
        Json.text(n, "adapter", e.adapter());
        n.set("payload", data != null && data.isObject() ? data : Json.MAPPER.createObjectNode());
        return n;
    }

    /** {@code from} and {@code to}, each optional; 400 naming the one that is not an instant, or {@code to} before from. */
    private static Instant[] range(Query q) {
        Instant from = instant(q, "from");
        Instant to = instant(q, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw Problem.invalidParam("to", "must not be before from");
        }
        return new Instant[] {from, to};
    }

    private static Instant instant(Query q, String name) {
        String v = q.text(name, 64);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw Problem.invalidParam(name, "an ISO-8601 instant such as 2026-03-02T12:00:00Z");
        }
    }
}
