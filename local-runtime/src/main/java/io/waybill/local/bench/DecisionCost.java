package io.waybill.local.bench;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TimelineMark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * P9: the cold chain's decision cost per batch against the length of the trip (issue 12: "decision cost per batch
 * does not grow with trip length"). For trips of 1 hour, 1 day and 30 days of a 30-second logger with two probes,
 * the trip is folded into its running exposure ({@link ExposureFold#of}) and its evidence put in an in-memory time
 * line sorted as the evidence table is ({@link SortedTimeline}); then one more batch is timed through
 * {@link ExposureFold#apply} and {@link ColdChainDecider#decide(ShipmentExposure, ProductClass, boolean, Instant)}:
 * <ul>
 *   <li>append: 10 new readings (5 per probe) after the watermark;</li>
 *   <li>late: the same 10 and one reading from the middle of the trip (its stored neighbours are looked up);</li>
 *   <li>re-decide (the approach before issue 12, the baseline): {@link ColdChainDecider#decide(String, ProductClass,
 *       java.util.Collection, Instant)} over all of the trip's evidence and the batch. Loading that evidence from
 *       the store is not counted, which flatters it.</li>
 * </ul>
 * Every trip gets the same verdict (one short door opening, NORMAL): a breach decision costs more to write up (the
 * breach event, the incident and its summary text) whatever the trip's length, which would blur the comparison.
 * The store's reads and writes (a conditional put, the neighbour queries) are not timed: they cost the same whatever
 * the trip length. The rounds alternate between the trip lengths, so drift (JIT, other load) hits all alike.
 */
final class DecisionCost {
    /** The target of issue 12: a batch on day 30 costs at most 1.5 times one in the first hour. */
    static final double RATIO_TARGET = 1.5;
    static final String SSCC = "106141410000000996";
    static final List<String> PROBES = List.of("supply-air", "return-air");
    static final Duration STEP = Duration.ofSeconds(30);
    static final int BATCH = 10;
    private static final Instant DEPARTURE = Instant.parse("2026-03-01T00:00:00Z");
    private static final ProductClass PRODUCT = ProductClass.CHILLED_BIOLOGICS_2_8;

    /** One trip length's figures, microseconds per batch (medians over the rounds). */
    record Row(String trip, int evidence, String status, double appendMicros, double lateMicros,
               double redecideMicros) {
    }

    /** @param rows 1 hour, 1 day, 30 days */
    record Result(List<Row> rows, int rounds, int redecideRounds) {
        double appendRatio() {
            return rows.get(rows.size() - 1).appendMicros() / rows.get(0).appendMicros();
        }

        double lateRatio() {
            return rows.get(rows.size() - 1).lateMicros() / rows.get(0).lateMicros();
        }

        double redecideRatio() {
            return rows.get(rows.size() - 1).redecideMicros() / rows.get(0).redecideMicros();
        }
    }

    /** A trip ready for one more batch. */
    private static final class Trip {
        final String name;
        final List<ExposureEvidence> evidence;
        final ShipmentExposure state;
        final SortedTimeline timeline;
        final List<ExposureEvidence> append;
        final List<ExposureEvidence> late;
        final List<ExposureEvidence> allAndAppend;
        final Instant now;

        Trip(String name, Duration length) {
            this.name = name;
            Random random = new Random(length.toSeconds());
            int steps = (int) (length.toSeconds() / STEP.toSeconds());
            evidence = new ArrayList<>(steps * PROBES.size());
            for (int i = 0; i < steps; i++) {
                for (String probe : PROBES) {
                    evidence.add(reading(probe, i, random));
                }
            }
            List<String> ids = evidence.stream().map(ExposureEvidence::evidenceId).toList();
            // As the decision loop leaves it: every piece applied, the latest ids kept for retries.
            state = ExposureFold.of(SSCC, PRODUCT, evidence)
                    .withApplied(ids.subList(Math.max(0, ids.size() - ShipmentExposure.RECENT_LIMIT), ids.size()));
            timeline = new SortedTimeline(evidence);
            append = new ArrayList<>();
            for (int i = steps; append.size() < BATCH; i++) {
                for (String probe : PROBES) {
                    append.add(reading(probe, i, random));
                }
            }
            late = new ArrayList<>(append);
            Instant middle = DEPARTURE.plus(STEP.multipliedBy(steps / 2)).plusSeconds(15); // between two readings
            late.add(new ExposureEvidence(PROBES.get(0) + "/late", SSCC, PROBES.get(0), ExposureEvidence.Kind.POINT,
                    middle, middle, 5.5, 0));
            allAndAppend = new ArrayList<>(evidence);
            allAndAppend.addAll(append);
            now = DEPARTURE.plus(STEP.multipliedBy(steps + BATCH));
        }

        private static ExposureEvidence reading(String probe, int i, Random random) {
            Instant t = DEPARTURE.plus(STEP.multipliedBy(i));
            double celsius = 5 + 1.5 * Math.sin(i / 120.0) + random.nextGaussian() * 0.3
                    + (i >= 60 && i < 66 ? 4 : 0); // one 3-minute door opening: every trip has the same verdict
            return new ExposureEvidence(probe + "/" + i, SSCC, probe, ExposureEvidence.Kind.POINT, t, t,
                    Math.round(celsius * 100) / 100.0, 0);
        }
    }

    private final ColdChainDecider decider = new ColdChainDecider(ColdChainConfig.defaults());
    private long sink;

    Result run(boolean quick) {
        List<Trip> trips = List.of(new Trip("1 h", Duration.ofHours(1)), new Trip("1 d", Duration.ofDays(1)),
                new Trip("30 d", Duration.ofDays(30)));
        int warmup = quick ? 2 : 5;
        int rounds = quick ? 3 : 9;
        long roundNanos = quick ? 50_000_000L : 300_000_000L;
        int redecideRounds = quick ? 2 : 5;
        double[][] append = new double[trips.size()][rounds];
        double[][] late = new double[trips.size()][rounds];
        double[][] redecide = new double[trips.size()][redecideRounds];
        for (int r = 0; r < warmup; r++) {
            for (Trip trip : trips) {
                perBatch(() -> incremental(trip, trip.append), roundNanos);
                perBatch(() -> incremental(trip, trip.late), roundNanos);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < trips.size(); t++) {
                Trip trip = trips.get(t);
                append[t][r] = perBatch(() -> incremental(trip, trip.append), roundNanos);
                late[t][r] = perBatch(() -> incremental(trip, trip.late), roundNanos);
            }
        }
        for (int r = 0; r < 1 + redecideRounds; r++) { // the first round warms up
            for (int t = 0; t < trips.size(); t++) {
                Trip trip = trips.get(t);
                double micros = perBatch(() -> redecide(trip), roundNanos);
                if (r > 0) {
                    redecide[t][r - 1] = micros;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < trips.size(); t++) {
            Trip trip = trips.get(t);
            ColdChainDecision d = decider.decide(ExposureFold.apply(trip.state, trip.append, PRODUCT, trip.timeline)
                    .state(), PRODUCT, true, trip.now);
            rows.add(new Row(trip.name, trip.evidence.size(), d.status().name(), median(append[t]), median(late[t]),
                    median(redecide[t])));
        }
        if (sink == 42) {
            System.out.print(""); // keeps the work observable to the JIT
        }
        return new Result(rows, rounds, redecideRounds);
    }

    /** One batch the way the decision loop handles it: fold into the running state, decide over it. */
    private void incremental(Trip trip, List<ExposureEvidence> batch) {
        ExposureFold.Applied applied = ExposureFold.apply(trip.state, batch, PRODUCT, trip.timeline);
        ColdChainDecision d = decider.decide(applied.state(), PRODUCT, true, trip.now);
        if (applied.applied().size() != batch.size()) {
            throw new IllegalStateException("the bench batch was not applied whole");
        }
        sink += d.evidence();
    }

    /** One batch the way it was handled before issue 12: decide over all of the trip's evidence. */
    private void redecide(Trip trip) {
        sink += decider.decide(SSCC, PRODUCT, trip.allAndAppend, trip.now).evidence();
    }

    /** Microseconds per call, over at least {@code nanos} and at least one call. */
    private static double perBatch(Runnable work, long nanos) {
        long start = System.nanoTime();
        long done = 0;
        long elapsed;
        do {
            work.run();
            done++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return elapsed / 1e3 / done;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /**
     * A shipment's stored primary evidence per probe in time line order ({@link TimelineMark#ORDER}), as the
     * evidence table's sort key keeps it: the neighbours of a late piece are the floor and ceiling entries. Every
     * stored piece is applied (the bench folds the whole trip first).
     */
    static final class SortedTimeline implements ExposureFold.TimelineNeighbours {
        private final Map<String, TreeSet<TimelineMark>> byProbe = new HashMap<>();

        SortedTimeline(List<ExposureEvidence> stored) {
            for (ExposureEvidence e : stored) {
                if (e.primary()) {
                    byProbe.computeIfAbsent(e.probeId(), p -> new TreeSet<>(TimelineMark.ORDER)).add(TimelineMark.of(e));
                }
            }
        }

        @Override
        public Optional<TimelineMark> nearest(String shipmentSscc, String probeId, TimelineMark mark, boolean before,
                                              Predicate<String> applied) {
            TreeSet<TimelineMark> marks = byProbe.get(probeId);
            if (marks == null || !SSCC.equals(shipmentSscc)) {
                return Optional.empty();
            }
            return Optional.ofNullable(before ? marks.lower(mark) : marks.higher(mark));
        }
    }
}
