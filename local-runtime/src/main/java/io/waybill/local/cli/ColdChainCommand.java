package io.waybill.local.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.BreachPolicy;
import io.waybill.domain.coldchain.BreachReason;
import io.waybill.domain.coldchain.BreachVerdict;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ColdChainDecider;
import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ExposureAssessment;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureReading;
import io.waybill.domain.coldchain.InvalidReadingException;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.event.ExposureStatistics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./waybill coldchain}: temperature evidence as JSON lines on stdin, one JSON object on stdout with the
 * exposure figures of each probe against a band and a {@link BreachPolicy}'s verdict, the worst probe's at the top
 * level. The figures and the verdict are the cloud's ({@link ExposureFold#of} and {@link ColdChainDecider}): per probe,
 * readings in time order, each held until the probe's next reading for at most the policy's maximum interpolation gap
 * ({@link BreachPolicy#DEFAULT_MAX_INTERPOLATION_GAP}, {@code --max-gap-minutes}); the rest of a longer gap is
 * unknown time, which counts against the budget ({@code DATA_GAP}) unless {@code --unknown-time-counts no}. The
 * output does not depend on the order of the input lines.
 *
 * <p>Input, one piece of evidence a line (blank lines skipped; fields not named here are ignored):
 * <ul>
 *   <li>a reading: {@code {"time": "<RFC 3339>", "celsius": <number>, "probe": "<id>"}};</li>
 *   <li>a summary, shaped as {@code waybill.temperature.observed.v1}'s data: {@code windowStart}, {@code windowEnd},
 *       {@code minCelsius}, {@code maxCelsius}, {@code meanCelsius}, {@code readingCount}, optional {@code probe} and
 *       optional {@code exposure} (the exactly mergeable statistics, {@link ExposureStatistics}'s fields). With
 *       statistics they are the truth for the time they cover; without, the mean stands for the whole window;</li>
 *   <li>an excursion report, shaped as a device's {@code waybill.temperature.breached.v1}: {@code time} (its end),
 *       {@code observedCelsius}, optional {@code durationSeconds}, {@code edgeSeverity} and {@code probe}: it stands
 *       for time no reading or summary covers.</li>
 * </ul>
 * Without {@code "probe"} a line is about one default probe, {@value #DEFAULT_PROBE}. A line that is not evidence is
 * an error naming its line number on stderr, e.g.
 * {@code waybill coldchain: line 3: 'time' is not an RFC 3339 timestamp: "yesterday"}; then nothing is printed on
 * stdout and the exit code is 2.
 *
 * <p>Output, one line:
 * <pre>{@code
 * {"worstProbe":"default","readings":3,"firstTime":"...","lastTime":"...","coveredSeconds":1200,"torSeconds":600,
 *  "torAboveSeconds":600,"torBelowSeconds":0,"unknownSeconds":0,"degreeMinutesAbove":170.0,"degreeMinutesBelow":0.0,
 *  "mktCelsius":19.69...,"maxCelsius":30.0,"minCelsius":5.0,"band":{"lowCelsius":2.0,"highCelsius":8.0},
 *  "policy":{"torBudgetSeconds":0,"majorDegreeMinutes":60.0,"hardHighCelsius":null,"hardLowCelsius":null,
 *            "mktLimitCelsius":null,"maxInterpolationGapSeconds":900,"unknownTimeCounts":true},
 *  "breach":{"breached":true,"severity":"MAJOR","reasons":[{"code":"TOR_BUDGET_EXCEEDED","severity":"MAJOR",
 *            "text":"..."}]},
 *  "probes":{"default":{"readings":3,...the same figures...,"breach":{...}}}}
 * }</pre>
 * The top-level figures and {@code breach} are the worst probe's (highest severity, then most time out of range plus
 * unknown, then name). {@code coveredSeconds} is observed plus unknown time. Durations are seconds (integers unless a
 * time has a fraction of a second); absent values ({@code mktCelsius} without observed time, an open band side, an
 * unset limit) are {@code null}. With {@code --product} the object also has {@code "product"}.
 *
 * <p>Policy for a bare band ({@code --low/--high} without other options): {@link BreachPolicy#defaults()} — a time
 * out of range budget of zero, so <em>any</em> time out of range (or unknown time) is a breach, MINOR up to
 * {@value BreachPolicy#DEFAULT_MAJOR_DEGREE_MINUTES} °C·min out of range and MAJOR beyond; no hard limits and no
 * MKT limit. The options set each of these.
 *
 * <p>No evidence at all is no verdict: exit 2 with one line on stderr. Two readings of one probe with the same time
 * count once, the highest, as the cloud's time line holds the warmest; each such line is named in a warning on stderr
 * (same value: "counted once"; different values: which one counts). A summary or report repeated is counted once
 * (a warning); two different ones of a probe for the same time are an error.
 *
 * <p>Exit codes: 0 when the evidence was read (breached or not: see {@code breach.breached}), 2 for a usage error,
 * a line that is not evidence or no evidence at all, 1 when stdin cannot be read.
 */
public final class ColdChainCommand {
    /** Printed on stderr for a usage error, on stdout for {@code --help}. */
    public static final String USAGE = """
            usage: waybill coldchain --low L --high H [--tor-budget-minutes M] [--hard-high X] [--hard-low Y] \
            [--mkt-limit Z] [--major-degree-minutes D] [--max-gap-minutes G] [--unknown-time-counts yes|no]
                   waybill coldchain --product NAME [--tor-budget-minutes M] [--hard-high X] [--hard-low Y] \
            [--mkt-limit Z] [--major-degree-minutes D] [--max-gap-minutes G] [--unknown-time-counts yes|no]
            Reads temperature evidence as JSON lines on stdin (blank lines ignored), one a line:
              a reading   {"time": "<RFC 3339>", "celsius": <number>, "probe": "<id>"}   (probe optional)
              a summary   {"windowStart", "windowEnd", "minCelsius", "maxCelsius", "meanCelsius", "readingCount",
                           "probe", "exposure": {...}}   (as waybill.temperature.observed.v1; exposure optional)
              a report    {"time", "observedCelsius", "durationSeconds", "edgeSeverity", "probe"}   (an excursion)
            and prints one JSON object: per probe ("probes") and for the worst probe (top level) the time out of
            range, unknown time, degree-minutes, mean kinetic temperature and the breach verdict. Per probe, each
            reading holds until the next one for at most the maximum gap; the rest of a longer gap is unknown.
              --low L, --high H         the band in °C, bounds included; 'none' for an open side (--low none --high -18)
              --tor-budget-minutes M    cumulative time out of range allowed (default 0: any time out of range breaches)
              --major-degree-minutes D  an over-budget excursion is MAJOR above D °C·min out of range, else MINOR (default 60)
              --hard-high X             any reading above X °C is CRITICAL (default: none)
              --hard-low Y              any reading below Y °C is CRITICAL (default: none)
              --mkt-limit Z             a mean kinetic temperature above Z °C is MAJOR (default: none)
              --max-gap-minutes G       the longest a reading holds; beyond it time is unknown (default 15)
              --unknown-time-counts yes|no  whether unknown time counts against the budget, as DATA_GAP (default yes)
              --product NAME            a preset band and example policy instead of --low/--high, the options above
                                        overriding it: vaccines-2-8, chilled-biologics-2-8, ambient-pharma-15-25, frozen
            Readings of a probe with the same time count once, the highest (a warning on stderr names each such line).
            Exit 0 when the evidence was read (breached or not), 2 for a usage error, a line that is not evidence,
            or no evidence at all (no evidence is no verdict).
            """;

    private static final String PREFIX = "waybill coldchain: ";
    /** The probe of a line without {@code "probe"}: an export of one logger is one probe. */
    public static final String DEFAULT_PROBE = "default";
    /** The one shipment the command judges (the evidence's shipment id; never printed). */
    private static final String SHIPMENT = "export";
    /** Bad lines reported one by one; beyond this many only their count is. */
    static final int MAX_LINE_ERRORS_SHOWN = 20;
    private static final Set<String> VALUE_OPTIONS = Set.of("low", "high", "tor-budget-minutes", "hard-high",
            "hard-low", "mkt-limit", "major-degree-minutes", "product", "max-gap-minutes", "unknown-time-counts");

    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The usage text, {@link #USAGE}. */
    public static String usage() {
        return USAGE;
    }

    /**
     * Parses the options and runs the command: the whole of {@code ./waybill coldchain}. {@code args} are the
     * command's options; a leading {@code "coldchain"} (the command name, as {@code WaybillCli} receives it) is
     * skipped.
     *
     * @return the exit code: 0, 1 or 2 (see the class comment)
     */
    public static int main(String[] args, InputStream in, PrintStream out, PrintStream err) {
        int first = args.length > 0 && "coldchain".equals(args[0]) ? 1 : 0;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
            if (!arg.startsWith("--") || !VALUE_OPTIONS.contains(arg.substring(2))) {
                return usageError(err, "unknown argument '" + arg + "'");
            }
            String name = arg.substring(2);
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                return usageError(err, "--" + name + " needs a value");
            }
            if (options.put(name, args[++i]) != null) {
                return usageError(err, "--" + name + " given twice");
            }
        }
        ProductClass product;
        try {
            product = productClass(options);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        if (product == null) {
            return usageError(err, "--low and --high (or --product) are required");
        }
        ColdChainCommand command = new ColdChainCommand();
        return options.containsKey("product") ? command.run(in, out, err, product)
                : command.run(in, out, err, product.band(), product.policy());
    }

    /**
     * Measures the readings on {@code in} against {@code low..high} °C with the bare-band policy,
     * {@link BreachPolicy#defaults()}.
     *
     * @return the exit code: 0, 1 or 2 (see the class comment)
     */
    public int run(InputStream in, PrintStream out, PrintStream err, double low, double high) {
        TemperatureBand band;
        try {
            band = TemperatureBand.between(low, high);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        return run(in, out, err, band, BreachPolicy.defaults());
    }

    /**
     * Measures the readings on {@code in} against a product class's band and judges them with its policy; the
     * output names the product.
     *
     * @return the exit code: 0, 1 or 2 (see the class comment)
     */
    public int run(InputStream in, PrintStream out, PrintStream err, ProductClass product) {
        return run(in, out, err, product.band(), product.policy(), product.name());
    }

    /**
     * Measures the readings on {@code in} against {@code band} and judges them with {@code policy}.
     *
     * @return the exit code: 0, 1 or 2 (see the class comment)
     */
    public int run(InputStream in, PrintStream out, PrintStream err, TemperatureBand band, BreachPolicy policy) {
        return run(in, out, err, band, policy, null);
    }

    private int run(InputStream in, PrintStream out, PrintStream err, TemperatureBand band, BreachPolicy policy,
                    String productName) {
        Map<String, ExposureEvidence> evidence = new HashMap<>(); // by id: a reading's is its probe and time
        Map<String, Long> lineOf = new HashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            long lineNumber = 0;
            String text;
            while ((text = reader.readLine()) != null) {
                lineNumber++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    ExposureEvidence e = evidence(text);
                    ExposureEvidence kept = evidence.get(e.evidenceId());
                    if (kept == null) {
                        evidence.put(e.evidenceId(), e);
                        lineOf.put(e.evidenceId(), lineNumber);
                    } else if (e.kind() == ExposureEvidence.Kind.POINT) {
                        warnings.add(sameTime(lineNumber, lineOf.get(e.evidenceId()), e, kept.celsius()));
                        if (e.celsius() > kept.celsius()) {
                            evidence.put(e.evidenceId(), e);
                        }
                    } else if (!e.equals(kept)) {
                        errors.add("line " + lineNumber + ": " + describe(e) + " differs from line "
                                + lineOf.get(e.evidenceId()) + "'s for the same time");
                    } else {
                        warnings.add("warning: line " + lineNumber + " repeats line " + lineOf.get(e.evidenceId())
                                + " (" + describe(e) + "): counted once");
                    }
                } catch (NotAReadingException e) {
                    errors.add("line " + lineNumber + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            err.println(PREFIX + "cannot read the input: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (!errors.isEmpty()) {
            errors.stream().limit(MAX_LINE_ERRORS_SHOWN).forEach(message -> err.println(PREFIX + message));
            if (errors.size() > MAX_LINE_ERRORS_SHOWN) {
                err.println(PREFIX + (errors.size() - MAX_LINE_ERRORS_SHOWN) + " more lines are not readings");
            }
            err.flush();
            return 2;
        }
        if (evidence.isEmpty()) {
            err.println(PREFIX + "no readings on stdin: no evidence, no verdict (give one JSON line"
                    + " {\"time\": \"<RFC 3339>\", \"celsius\": <number>} per reading)");
            err.flush();
            return 2;
        }
        warnings.stream().limit(MAX_LINE_ERRORS_SHOWN).forEach(message -> err.println(PREFIX + message));
        if (warnings.size() > MAX_LINE_ERRORS_SHOWN) {
            err.println(PREFIX + (warnings.size() - MAX_LINE_ERRORS_SHOWN) + " more lines repeat a time");
        }
        err.flush();
        out.println(report(decide(evidence.values(), band, policy, productName), policy, productName).toString());
        out.flush();
        return 0;
    }

    /**
     * The cloud's decision over the evidence of one shipment: the running exposure per probe built from all of it
     * ({@link ExposureFold#of}) and {@link ColdChainDecider}'s verdict, the worst probe deciding.
     */
    static ColdChainDecision decide(Collection<ExposureEvidence> evidence, TemperatureBand band, BreachPolicy policy,
                                    String productName) {
        ProductClass product = new ProductClass(productName == null ? "band" : productName, band, policy);
        ShipmentExposure state = ExposureFold.of(SHIPMENT, product, evidence);
        Instant latest = evidence.stream().map(ExposureEvidence::end).max(Instant::compareTo).orElse(Instant.EPOCH);
        return new ColdChainDecider(ColdChainConfig.defaults()).decide(state, product, true, latest);
    }

    /** The warning for a reading whose probe and time an earlier line already has: the highest of them counts. */
    private static String sameTime(long line, long firstLine, ExposureEvidence r, double keptSoFar) {
        String where = DEFAULT_PROBE.equals(r.probeId()) ? r.end().toString() : r.end() + ", probe " + r.probeId();
        if (Double.compare(r.celsius(), keptSoFar) == 0) {
            return "warning: line " + line + " repeats the time and value of line " + firstLine + " (" + where
                    + ", " + fmt(r.celsius()) + " °C): counted once";
        }
        return "warning: line " + line + " has the same time as line " + firstLine + " (" + where + ") but "
                + fmt(r.celsius()) + " °C instead of " + fmt(keptSoFar) + " °C: one reading per time counts, the"
                + " highest (" + fmt(Math.max(r.celsius(), keptSoFar)) + " °C)";
    }

    private static String describe(ExposureEvidence e) {
        String what = e.kind() == ExposureEvidence.Kind.EXCURSION ? "the excursion report" : "the summary";
        return what + " of probe " + e.probeId() + " " + e.start() + ".." + e.end();
    }

    private static String fmt(double celsius) {
        return BigDecimal.valueOf(celsius).stripTrailingZeros().toPlainString();
    }

    /** One input line as evidence: a reading, a summary ({@code windowStart}) or an excursion report. */
    private ExposureEvidence evidence(String text) throws NotAReadingException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new NotAReadingException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new NotAReadingException("expected a JSON object {\"time\": \"<RFC 3339>\", \"celsius\": <number>}");
        }
        String probe = probe(node);
        try {
            if (node.has("windowStart")) {
                return summary(node, probe);
            }
            if (node.has("observedCelsius")) {
                return excursion(node, probe);
            }
            Instant instant = rfc3339(node, "time");
            JsonNode celsius = node.get("celsius");
            if (celsius == null) {
                throw new NotAReadingException("missing 'celsius'");
            }
            if (!celsius.isNumber()) {
                throw new NotAReadingException("'celsius' is not a number: " + celsius);
            }
            ExposureReading r = ExposureReading.of(instant, celsius.doubleValue());
            return new ExposureEvidence("reading/" + probe + "/" + r.time(), SHIPMENT, probe,
                    ExposureEvidence.Kind.POINT, r.time(), r.time(), r.celsius(), 0);
        } catch (InvalidReadingException e) {
            throw new NotAReadingException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new NotAReadingException(e.getMessage());
        }
    }

    private static String probe(JsonNode node) throws NotAReadingException {
        JsonNode probe = node.get("probe");
        if (probe == null) {
            return DEFAULT_PROBE;
        }
        if (!probe.isTextual() || probe.asText().isBlank()) {
            throw new NotAReadingException("'probe' is not a probe name: " + probe);
        }
        return probe.asText();
    }

    /**
     * A summary line: {@code windowStart}, {@code windowEnd}, {@code minCelsius}, {@code maxCelsius},
     * {@code meanCelsius}, {@code readingCount} and an optional {@code exposure} object, as in
     * {@code waybill.temperature.observed.v1}. Without statistics, one reading (or an empty window) is a point reading
     * at {@code windowEnd}, and a longer window stands at its mean for its whole length (what the cloud does).
     */
    private static ExposureEvidence summary(JsonNode node, String probe) throws NotAReadingException {
        Instant start = rfc3339(node, "windowStart");
        Instant end = rfc3339(node, "windowEnd");
        double min = number(node, "minCelsius");
        double max = number(node, "maxCelsius");
        double mean = number(node, "meanCelsius");
        long count = whole(node, "readingCount");
        if (count < 1 || count > Integer.MAX_VALUE) {
            throw new NotAReadingException("'readingCount' must be at least 1, was " + count);
        }
        if (end.isBefore(start)) {
            throw new NotAReadingException("'windowEnd' " + end + " is before 'windowStart' " + start);
        }
        if (mean < min || mean > max) {
            throw new NotAReadingException("'meanCelsius' " + fmt(mean) + " is outside minCelsius..maxCelsius");
        }
        ExposureStatistics statistics = node.hasNonNull("exposure") ? statistics(node.get("exposure")) : null;
        String id = "summary/" + probe + "/" + start + "/" + end;
        boolean point = count <= 1 || !end.isAfter(start);
        if (point && statistics == null) {
            return new ExposureEvidence(id, SHIPMENT, probe, ExposureEvidence.Kind.POINT, end, end, mean, 0, probe,
                    min, max, (int) count, null, probe, null);
        }
        return new ExposureEvidence(id, SHIPMENT, probe, ExposureEvidence.Kind.WINDOW, start, end, mean, 0, probe,
                min, max, (int) count, statistics, probe, null);
    }

    /** The {@code exposure} object of a summary (the fields of {@link ExposureStatistics}). */
    private static ExposureStatistics statistics(JsonNode e) throws NotAReadingException {
        if (!e.isObject()) {
            throw new NotAReadingException("'exposure' is not an object: " + e);
        }
        Double low = e.hasNonNull("bandLowCelsius") ? number(e, "bandLowCelsius") : null;
        Double high = e.hasNonNull("bandHighCelsius") ? number(e, "bandHighCelsius") : null;
        try {
            return new ExposureStatistics(low, high, whole(e, "maxGapSeconds"), whole(e, "observedMillis"),
                    whole(e, "unknownMillis"), whole(e, "aboveMillis"), whole(e, "belowMillis"),
                    number(e, "degreeMinutesAbove"), number(e, "degreeMinutesBelow"), number(e, "arrheniusSum"));
        } catch (IllegalArgumentException ex) {
            throw new NotAReadingException("'exposure': " + ex.getMessage());
        }
    }

    /**
     * An excursion report line (a device's or the edge's {@code TemperatureBreached}): {@code time} (its end),
     * {@code observedCelsius}, optional {@code durationSeconds} and {@code edgeSeverity} (0..100).
     */
    private static ExposureEvidence excursion(JsonNode node, String probe) throws NotAReadingException {
        Instant end = rfc3339(node, "time");
        double celsius = number(node, "observedCelsius");
        long duration = node.hasNonNull("durationSeconds") ? whole(node, "durationSeconds") : 0;
        if (duration < 0) {
            throw new NotAReadingException("'durationSeconds' must not be negative, was " + duration);
        }
        long severity = node.hasNonNull("edgeSeverity") ? whole(node, "edgeSeverity") : 0;
        if (severity < 0 || severity > 100) {
            throw new NotAReadingException("'edgeSeverity' must be 0..100, was " + severity);
        }
        Instant start = end.minusSeconds(duration);
        return new ExposureEvidence("excursion/" + probe + "/" + start + "/" + end, SHIPMENT, probe,
                ExposureEvidence.Kind.EXCURSION, start, end, celsius, (int) severity, probe, celsius, celsius, 0, null,
                probe, null);
    }

    private static double number(JsonNode node, String name) throws NotAReadingException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new NotAReadingException("missing '" + name + "'");
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new NotAReadingException("'" + name + "' is not a finite number: " + v);
        }
        return v.doubleValue();
    }

    private static long whole(JsonNode node, String name) throws NotAReadingException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new NotAReadingException("missing '" + name + "'");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new NotAReadingException("'" + name + "' is not a whole number: " + v);
        }
        return v.longValue();
    }

    private static Instant rfc3339(JsonNode node, String name) throws NotAReadingException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new NotAReadingException("missing '" + name + "'");
        }
        return timestamp(v, name);
    }

    /** RFC 3339 date-time with offset, e.g. {@code 2026-03-01T10:00:00+01:00}; 't' and 'z' may be lower case. */
    private static Instant timestamp(JsonNode time, String name) throws NotAReadingException {
        if (time.isTextual()) {
            try {
                return OffsetDateTime.parse(time.asText().toUpperCase(Locale.ROOT),
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new NotAReadingException("'" + name + "' is not an RFC 3339 timestamp: " + time);
    }

    private ObjectNode report(ColdChainDecision decision, BreachPolicy policy, String productName) {
        ExposureAssessment worst = decision.assessment();
        ObjectNode o = json.createObjectNode();
        if (productName != null) {
            o.put("product", productName);
        }
        o.put("worstProbe", decision.worstProbe());
        putFigures(o, worst.figures());
        ObjectNode band = o.putObject("band");
        putOptional(band, "lowCelsius", worst.figures().band().lowerBound());
        putOptional(band, "highCelsius", worst.figures().band().upperBound());
        ObjectNode p = o.putObject("policy");
        putSeconds(p, "torBudgetSeconds", policy.torBudget());
        p.put("majorDegreeMinutes", policy.majorDegreeMinutes());
        putOptional(p, "hardHighCelsius", policy.hardHighCelsius());
        putOptional(p, "hardLowCelsius", policy.hardLowCelsius());
        putOptional(p, "mktLimitCelsius", policy.mktLimitCelsius());
        putSeconds(p, "maxInterpolationGapSeconds", policy.maxInterpolationGap());
        p.put("unknownTimeCounts", policy.unknownTimeCounts());
        putVerdict(o, worst.verdict());
        ObjectNode probes = o.putObject("probes");
        decision.probes().forEach((id, a) -> {
            ObjectNode probe = probes.putObject(id);
            putFigures(probe, a.figures());
            putVerdict(probe, a.verdict());
        });
        return o;
    }

    /** The figures every probe has, and the top level has for the worst probe. */
    private static void putFigures(ObjectNode o, ExposureFigures f) {
        o.put("readings", f.readings());
        putInstant(o, "firstTime", f.firstTime());
        putInstant(o, "lastTime", f.lastTime());
        putSeconds(o, "coveredSeconds", f.covered());
        putSeconds(o, "torSeconds", f.timeOutOfRange());
        putSeconds(o, "torAboveSeconds", f.timeAbove());
        putSeconds(o, "torBelowSeconds", f.timeBelow());
        putSeconds(o, "unknownSeconds", f.unknown());
        o.put("degreeMinutesAbove", f.degreeMinutesAbove());
        o.put("degreeMinutesBelow", f.degreeMinutesBelow());
        putOptional(o, "mktCelsius", f.mktCelsius());
        putOptional(o, "maxCelsius", f.maxCelsius());
        putOptional(o, "minCelsius", f.minCelsius());
    }

    private static void putVerdict(ObjectNode o, BreachVerdict verdict) {
        ObjectNode breach = o.putObject("breach");
        breach.put("breached", verdict.breached());
        breach.put("severity", verdict.severity().name());
        ArrayNode reasons = breach.putArray("reasons");
        for (BreachReason r : verdict.reasons()) {
            reasons.addObject().put("code", r.code().name()).put("severity", r.severity().name()).put("text", r.text());
        }
    }

    private static void putInstant(ObjectNode o, String name, Optional<Instant> value) {
        if (value.isPresent()) {
            o.put(name, value.get().toString());
        } else {
            o.putNull(name);
        }
    }

    /** Whole seconds as an integer, else fractional seconds. */
    private static void putSeconds(ObjectNode o, String name, Duration d) {
        if (d.getNano() == 0) {
            o.put(name, d.getSeconds());
        } else {
            o.put(name, d.getSeconds() + d.getNano() / 1e9);
        }
    }

    private static void putOptional(ObjectNode o, String name, OptionalDouble value) {
        if (value.isPresent()) {
            o.put(name, value.getAsDouble());
        } else {
            o.putNull(name);
        }
    }

    /**
     * The band and policy the options describe, as a product class ({@code --product}'s, or an unnamed one for
     * {@code --low/--high}); null when neither is given.
     *
     * @throws IllegalArgumentException for a bad value or a bad combination, with the message to show
     */
    static ProductClass productClass(Map<String, String> options) {
        ProductClass base;
        if (options.containsKey("product")) {
            if (options.containsKey("low") || options.containsKey("high")) {
                throw new IllegalArgumentException("--product sets the band: give --product or --low/--high, not both");
            }
            String name = options.get("product");
            base = ProductClass.preset(name).orElseThrow(() -> new IllegalArgumentException("unknown --product '"
                    + name + "' (expected " + ProductClass.presets().stream().map(ProductClass::name)
                    .collect(Collectors.joining(", ")) + ")"));
        } else {
            if (!options.containsKey("low") || !options.containsKey("high")) {
                return null;
            }
            double low = bound(options, "low", Double.NEGATIVE_INFINITY);
            double high = bound(options, "high", Double.POSITIVE_INFINITY);
            base = new ProductClass("band", new TemperatureBand(low, high), BreachPolicy.defaults());
        }
        BreachPolicy.Builder policy = base.policy().toBuilder();
        if (options.containsKey("tor-budget-minutes")) {
            double minutes = number(options, "tor-budget-minutes");
            if (minutes < 0) {
                throw new IllegalArgumentException("--tor-budget-minutes must not be negative, was " + minutes);
            }
            policy.torBudget(Duration.ofNanos(Math.round(minutes * 60e9)));
        }
        if (options.containsKey("major-degree-minutes")) {
            policy.majorDegreeMinutes(number(options, "major-degree-minutes"));
        }
        if (options.containsKey("hard-high")) {
            policy.hardHighCelsius(number(options, "hard-high"));
        }
        if (options.containsKey("hard-low")) {
            policy.hardLowCelsius(number(options, "hard-low"));
        }
        if (options.containsKey("mkt-limit")) {
            policy.mktLimitCelsius(number(options, "mkt-limit"));
        }
        if (options.containsKey("max-gap-minutes")) {
            double minutes = number(options, "max-gap-minutes");
            if (minutes * 60e9 < 1) { // at least a nanosecond: a positive limit
                throw new IllegalArgumentException("--max-gap-minutes must be positive, was " + minutes);
            }
            policy.maxInterpolationGap(Duration.ofNanos(Math.round(minutes * 60e9)));
        }
        if (options.containsKey("unknown-time-counts")) {
            String v = options.get("unknown-time-counts").trim().toLowerCase(Locale.ROOT);
            if (!v.equals("yes") && !v.equals("no")) {
                throw new IllegalArgumentException("--unknown-time-counts must be yes or no, was '" + v + "'");
            }
            policy.unknownTimeCounts(v.equals("yes"));
        }
        return base.withPolicy(policy.build());
    }

    private static double bound(Map<String, String> options, String name, double open) {
        return "none".equalsIgnoreCase(options.get(name).trim()) ? open : number(options, name);
    }

    private static double number(Map<String, String> options, String name) {
        String text = options.get(name).trim();
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: '" + text + "'");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("--" + name + " must be finite, was '" + text + "'");
        }
        return value;
    }

    private static int usageError(PrintStream err, String message) {
        err.println(PREFIX + message);
        err.print(USAGE);
        err.flush();
        return 2;
    }

    /** A line that is not a reading; the message says why, without the line number. */
    private static final class NotAReadingException extends Exception {
        NotAReadingException(String message) {
            super(message, null, false, false);
        }
    }
}
