package io.waybill.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.EpcisExport;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.EventType;
import io.waybill.domain.partner.Partner;
import io.waybill.local.esm.StreamEventSourceMapping;
import io.waybill.local.partner.LocalPartners;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's "Partners" section (issue 16): partner egress on the local partner bus with the deployed rule files.
 * Two 3PLs are seeded: {@value LocalPartners#NORTHWIND} (the hubs {@code HUBS[0]}, {@code HUBS[1]}; departures,
 * arrivals, custody transfers; its rule delivers to a local webhook receiver) and {@value #COLDLINE} (hub
 * {@code HUBS[2]}; departures and arrivals; no rule here, so its entries only show on the local tap).
 *
 * <p>The check's reference is worked out from the published raw messages, not from egress: the parties of each
 * shipment are the GLNs its plan names (origin, destination, shipper, consignee) and its hand-overs name (SWIFTLOG
 * {@code handover.fromGln/toGln}); its events of each type are its first-sent raw messages that adapt to that type
 * (SWIFTLOG {@code DEP}/{@code ARR}/{@code POD}, GPS {@code GEOFENCE_EXIT}/{@code GEOFENCE_ENTER}). Northwind's
 * receiver must get exactly those of its shipments, each event once, and nothing of another partner's shipment.
 *
 * <p>It also exports the demo's canonical events as one GS1 EPCIS 2.0 document ({@link EpcisExport}) to
 * {@link #epcisFile()} and validates it against GS1's JSON Schema (the ops API's unchanged copy, the one capture checks against).
 */
public final class PartnersSection {
    static final String COLDLINE = "coldline-3pl";
    static final Set<EventType> NORTHWIND_TYPES = Set.of(EventType.SHIPMENT_DEPARTED, EventType.SHIPMENT_ARRIVED,
            EventType.CUSTODY_TRANSFERRED);
    static final Set<EventType> COLDLINE_TYPES = Set.of(EventType.SHIPMENT_DEPARTED, EventType.SHIPMENT_ARRIVED);
    /** How long the section waits for egress to drain the canonical stream and for the bus to deliver. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Path epcisFile;

    PartnersSection(PrintStream out, Path epcisFile) {
        this.out = out;
        this.epcisFile = epcisFile;
    }

    /** The partners the demo (and {@code ./waybill stack}) seed: two 3PLs, each with its own hub sites. */
    public static List<Partner> partners() {
        List<String> hubs = TrafficGenerator.hubs();
        return List.of(new Partner(LocalPartners.NORTHWIND, NORTHWIND_TYPES, Set.of(hubs.get(0), hubs.get(1)), Set.of()),
                new Partner(COLDLINE, COLDLINE_TYPES, Set.of(hubs.get(2)), Set.of()));
    }

    /** {@code <WAYBILL_HOME>/.waybill/demo/epcis.json}. */
    static Path epcisFile() {
        return DemoRun.spoolDirectory().resolveSibling("demo").resolve("epcis.json");
    }

    /**
     * What each partner must get, from the raw messages.
     *
     * @param byPartner partner id -> shipment -> canonical type -> number of events
     */
    record Expectation(Map<String, Map<String, Map<String, Integer>>> byPartner) {
        Map<String, Map<String, Integer>> of(String partner) {
            return byPartner.getOrDefault(partner, Map.of());
        }

        int total(String partner) {
            return of(partner).values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * The reference model.
     *
     * @param planPayloads the plan messages published (waybill-plan format)
     * @param traffic      the generated trips (first sends only are events)
     */
    static Expectation expect(List<byte[]> planPayloads, GeneratedTraffic traffic, List<Partner> partners) {
        Map<String, Set<String>> parties = new HashMap<>();
        Map<String, Map<String, Integer>> events = new HashMap<>();
        for (byte[] plan : planPayloads) {
            JsonNode p = read(plan);
            if (p == null || !p.hasNonNull("sscc")) {
                continue;
            }
            String sscc = digits(p.get("sscc").asText());
            for (String party : List.of("origin", "destination", "shipper", "consignee")) {
                String gln = p.path(party).path("gln").asText(null);
                if (gln != null) {
                    parties.computeIfAbsent(sscc, k -> new HashSet<>()).add(gln);
                }
            }
        }
        for (GeneratedTraffic.TrafficRecord r : traffic.records()) {
            if (!r.firstSend() || r.shipmentSscc() == null) {
                continue;
            }
            JsonNode m = read(r.payload());
            if (m == null) {
                continue;
            }
            String route = m.path("wb_route").asText("");
            String type = null;
            if (route.startsWith("swiftlog/")) {
                type = switch (m.path("statusCode").asText()) {
                    case "DEP" -> EventType.SHIPMENT_DEPARTED.type();
                    case "ARR" -> EventType.SHIPMENT_ARRIVED.type();
                    case "POD", "HND" -> EventType.CUSTODY_TRANSFERRED.type();
                    default -> null;
                };
                JsonNode h = m.path("handover");
                if (h.isObject()) {
                    Set<String> named = parties.computeIfAbsent(r.shipmentSscc(), k -> new HashSet<>());
                    named.add(h.path("fromGln").asText());
                    named.add(h.path("toGln").asText());
                }
            } else if (route.startsWith("gps-tracker/")) {
                type = switch (m.path("evt").asText()) {
                    case "GEOFENCE_EXIT" -> EventType.SHIPMENT_DEPARTED.type();
                    case "GEOFENCE_ENTER" -> EventType.SHIPMENT_ARRIVED.type();
                    default -> null;
                };
            }
            if (type != null) {
                events.computeIfAbsent(r.shipmentSscc(), k -> new TreeMap<>()).merge(type, 1, Integer::sum);
            }
        }
        Map<String, Map<String, Map<String, Integer>>> byPartner = new TreeMap<>();
        for (Partner partner : partners) {
            Set<String> types = new HashSet<>();
            partner.eventTypes().forEach(t -> types.add(t.type()));
            Map<String, Map<String, Integer>> mine = new TreeMap<>();
            events.forEach((sscc, byType) -> {
                if (parties.getOrDefault(sscc, Set.of()).stream().noneMatch(partner.glns()::contains)) {
                    return;
                }
                byType.forEach((type, n) -> {
                    if (types.contains(type)) {
                        mine.computeIfAbsent(sscc, k -> new TreeMap<>()).put(type, n);
                    }
                });
            });
            byPartner.put(partner.id(), mine);
        }
        return new Expectation(byPartner);
    }

    /**
     * Waits for egress and the bus, prints what each partner got, checks it against {@code expected}, and exports the
     * EPCIS document of {@code canonical}.
     */
    void print(LocalPartners partners, StreamEventSourceMapping egressMapping, SqsClient sqs, Expectation expected,
               List<CanonicalEvent> canonical, List<String> failures) {
        out.println("Partners (io.waybill.partneregress.PartnerEgressHandler behind the canonical stream -> the partner bus "
                + partners.busName());
        out.println("  at " + partners.bus().uri() + " with infra-cdk/event-rules/ -> each partner's webhook receiver)");
        long t0 = System.nanoTime();
        boolean drained;
        try {
            drained = egressMapping.awaitIdle(TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        boolean delivered = partners.awaitDeliveries(TIMEOUT);
        check(drained && delivered, "partner egress or the partner bus did not settle within " + TIMEOUT.toSeconds()
                + " s", failures);

        Map<String, Map<String, Integer>> received = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        int foreign = 0;
        List<String> bodies = partners.receiver(LocalPartners.NORTHWIND).received();
        for (String body : bodies) {
            JsonNode e = read(body.getBytes(StandardCharsets.UTF_8));
            if (e == null || !LocalPartners.NORTHWIND.equals(e.at("/detail/partner").asText())) {
                foreign++;
                continue;
            }
            if (!ids.add(e.at("/detail/eventId").asText())) {
                duplicates++;
            }
            received.computeIfAbsent(e.at("/detail/event/subject").asText(), k -> new TreeMap<>())
                    .merge(e.path("detail-type").asText(), 1, Integer::sum);
        }
        Map<String, Integer> publishedByPartner = new TreeMap<>();
        for (String body : partners.published()) {
            JsonNode e = read(body.getBytes(StandardCharsets.UTF_8));
            publishedByPartner.merge(e == null ? "?" : e.at("/detail/partner").asText("?"), 1, Integer::sum);
        }
        long deliveryDlq = approximate(sqs, partners.deliveryDlqUrl());
        long egressDlq = approximate(sqs, partners.egressDeadLetterUrl());
        Map<String, Map<String, Integer>> wanted = expected.of(LocalPartners.NORTHWIND);
        Set<String> otherShipments = new HashSet<>();
        expected.byPartner().forEach((p, m) -> {
            if (!p.equals(LocalPartners.NORTHWIND)) {
                otherShipments.addAll(m.keySet());
            }
        });
        otherShipments.removeAll(wanted.keySet());
        long leaked = received.keySet().stream().filter(otherShipments::contains).count();

        out.printf(Locale.ROOT, "  put on the bus by egress: %s (settled in %,d ms)%n", publishedByPartner,
                (System.nanoTime() - t0) / 1_000_000);
        out.printf(Locale.ROOT, "  %s's receiver: %,d events for %d shipments (expected %,d for %d), %d twice, "
                        + "%d of another partner's shipments; DLQs: delivery %d, egress %d%n", LocalPartners.NORTHWIND,
                bodies.size(), received.size(), expected.total(LocalPartners.NORTHWIND), wanted.size(), duplicates,
                leaked, deliveryDlq, egressDlq);
        received.forEach((sscc, byType) -> out.printf(Locale.ROOT, "    %s %s%n", sscc, byType));
        check(received.equals(wanted), LocalPartners.NORTHWIND + " received " + received + ", expected " + wanted,
                failures);
        check(!wanted.isEmpty(), "no shipment of the traffic has " + LocalPartners.NORTHWIND + " as a party",
                failures);
        check(duplicates == 0 && foreign == 0, LocalPartners.NORTHWIND + " received " + duplicates
                + " events twice and " + foreign + " not addressed to it", failures);
        check(leaked == 0, LocalPartners.NORTHWIND + " received events of " + leaked
                + " shipments of another partner", failures);
        check(publishedByPartner.getOrDefault(COLDLINE, 0) == expected.total(COLDLINE) && expected.total(COLDLINE) > 0,
                "egress put " + publishedByPartner.getOrDefault(COLDLINE, 0) + " entries for " + COLDLINE + ", expected "
                        + expected.total(COLDLINE) + " (> 0)", failures);
        check(deliveryDlq == 0 && egressDlq == 0, "partner dead letters: delivery " + deliveryDlq + ", egress "
                + egressDlq, failures);
        epcis(canonical, failures);
        out.println();
    }

    private void epcis(List<CanonicalEvent> canonical, List<String> failures) {
        EpcisExport export = new EpcisExport();
        canonical.stream().sorted(Comparator.comparing(CanonicalEvent::time).thenComparing(CanonicalEvent::id))
                .forEach(export::add);
        ObjectNode document = export.document(Instant.now());
        int events = document.at("/epcisBody/eventList").size();
        String json;
        try {
            json = CanonicalEventJson.MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
            Files.createDirectories(epcisFile.getParent());
            Files.writeString(epcisFile, json + System.lineSeparator());
        } catch (IOException e) {
            failures.add("EPCIS document not written to " + epcisFile + ": " + e.getMessage());
            return;
        }
        String validation;
        try {
            List<String> violations = io.waybill.opsapi.EpcisDocumentSchema.violations(json);
            validation = violations.isEmpty() ? "valid against GS1's EPCIS 2.0 JSON Schema"
                    : violations.size() + " violations of GS1's schema, first: " + violations.get(0);
            if (!violations.isEmpty()) {
                failures.add("the EPCIS document violates GS1's schema: " + violations.get(0));
            }
        } catch (NoClassDefFoundError | IllegalStateException e) {
            validation = "not validated (" + e.getMessage() + ")";
        }
        out.printf(Locale.ROOT, "  EPCIS 2.0 export (./waybill epcis): %,d EPCIS events from %,d canonical events -> %s;%n"
                + "    %s; skipped (no EPCIS mapping): %s%n", events, canonical.size(), epcisFile, validation,
                export.skipped());
        check(events > 0, "the EPCIS export holds no event", failures);
    }

    private static long approximate(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    private static JsonNode read(byte[] payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String digits(String s) {
        String d = s.replaceAll("[^0-9]", "");
        return d.length() > 18 ? d.substring(d.length() - 18) : d;
    }

    private static void check(boolean ok, String failure, List<String> failures) {
        if (!ok) {
            failures.add(failure);
        }
    }
}
