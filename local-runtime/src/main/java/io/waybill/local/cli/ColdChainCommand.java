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
import io.waybill.domain.coldchain.ExposureAssessment;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureReading;
import io.waybill.domain.coldchain.InvalidReadingException;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.TemperatureBand;

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
 * {@code ./waybill coldchain}: temperature readings as JSON lines on stdin, one JSON object on stdout with the
 * exposure figures against a band and a {@link BreachPolicy}'s verdict. The figures are the domain's
 * ({@link io.waybill.domain.coldchain.ExposureCalculator}): readings sorted by time, one per time (the highest),
 * each held until the next one, so the output does not depend on the order of the input lines.
 *
 * <p>Input: one reading a line, {@code {"time": "<RFC 3339>", "celsius": <number>}} (other fields are ignored,
 * blank lines skipped). A line that is not a reading is an error naming its line number on stderr, e.g.
 * {@code waybill coldchain: line 3: 'time' is not an RFC 3339 timestamp: "yesterday"}; then nothing is printed on
 * stdout and the exit code is 2.
 *
 * <p>Output, one line:
 * <pre>{@code
 * {"readings":3,"firstTime":"...","lastTime":"...","coveredSeconds":1200,"torSeconds":600,"torAboveSeconds":600,
 *  "torBelowSeconds":0,"degreeMinutesAbove":170.0,"degreeMinutesBelow":0.0,"mktCelsius":19.69...,
 *  "maxCelsius":30.0,"minCelsius":5.0,"band":{"lowCelsius":2.0,"highCelsius":8.0},
 *  "policy":{"torBudgetSeconds":0,"majorDegreeMinutes":60.0,"hardHighCelsius":null,"hardLowCelsius":null,
 *            "mktLimitCelsius":null},
 *  "breach":{"breached":true,"severity":"MAJOR","reasons":[{"code":"TOR_BUDGET_EXCEEDED","severity":"MAJOR",
 *            "text":"..."}]}}
 * }</pre>
 * Durations are seconds (integers unless a reading has a sub-second time); absent values ({@code mktCelsius} for
 * fewer than two readings, an open band side, an unset limit) are {@code null}. With {@code --product} the object
 * also has {@code "product"}.
 *
 * <p>Policy for a bare band ({@code --low/--high} without other options): {@link BreachPolicy#defaults()} — a time
 * out of range budget of zero, so <em>any</em> time out of range is a breach, MINOR up to
 * {@value BreachPolicy#DEFAULT_MAJOR_DEGREE_MINUTES} °C·min out of range and MAJOR beyond; no hard limits and no
 * MKT limit. The options set each of these.
 *
 * <p>No readings at all is no evidence, not a verdict: exit 2 with one line on stderr. Two readings with the same
 * time (one export is one probe) count once, the highest, as the domain's {@code ExposureSeries} does; each such line
 * is named in a warning on stderr (same value: "counted once"; different values: which one counts).
 *
 * <p>Exit codes: 0 when the readings were read (breached or not: see {@code breach.breached}), 2 for a usage error,
 * a line that is not a reading or no reading at all, 1 when stdin cannot be read.
 */
public final class ColdChainCommand {
    /** Printed on stderr for a usage error, on stdout for {@code --help}. */
    public static final String USAGE = """
            usage: waybill coldchain --low L --high H [--tor-budget-minutes M] [--hard-high X] [--hard-low Y] \
            [--mkt-limit Z] [--major-degree-minutes D]
                   waybill coldchain --product NAME [--tor-budget-minutes M] [--hard-high X] [--hard-low Y] \
            [--mkt-limit Z] [--major-degree-minutes D]
            Reads temperature readings as JSON lines {"time": "<RFC 3339>", "celsius": <number>} on stdin (blank lines
            ignored) and prints one JSON object: time out of range, degree-minutes, mean kinetic temperature and the
            breach verdict. Readings are sorted by time; each holds until the next one.
              --low L, --high H         the band in °C, bounds included; 'none' for an open side (--low none --high -18)
              --tor-budget-minutes M    cumulative time out of range allowed (default 0: any time out of range breaches)
              --major-degree-minutes D  an over-budget excursion is MAJOR above D °C·min out of range, else MINOR (default 60)
              --hard-high X             any reading above X °C is CRITICAL (default: none)
              --hard-low Y              any reading below Y °C is CRITICAL (default: none)
              --mkt-limit Z             a mean kinetic temperature above Z °C is MAJOR (default: none)
              --product NAME            a preset band and example policy instead of --low/--high, the options above
                                        overriding it: vaccines-2-8, chilled-biologics-2-8, ambient-pharma-15-25, frozen
            Readings with the same time count once, the highest (a warning on stderr names each such line).
            Exit 0 when the readings were read (breached or not), 2 for a usage error, a line that is not a reading,
            or no reading at all (no evidence is no verdict).
            """;

    private static final String PREFIX = "waybill coldchain: ";
    /** Bad lines reported one by one; beyond this many only their count is. */
    static final int MAX_LINE_ERRORS_SHOWN = 20;
    private static final Set<String> VALUE_OPTIONS = Set.of("low", "high", "tor-budget-minutes", "hard-high",
            "hard-low", "mkt-limit", "major-degree-minutes", "product");

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
        List<ExposureReading> readings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<Instant, long[]> lineOfTime = new HashMap<>();
        Map<Instant, Double> celsiusAt = new HashMap<>();
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
                    ExposureReading r = reading(text);
                    readings.add(r);
                    long[] first = lineOfTime.putIfAbsent(r.time(), new long[] {lineNumber});
                    if (first != null) {
                        double kept = celsiusAt.get(r.time());
                        warnings.add(sameTime(lineNumber, first[0], r, kept));
                        celsiusAt.put(r.time(), Math.max(kept, r.celsius()));
                    } else {
                        celsiusAt.put(r.time(), r.celsius());
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
        if (readings.isEmpty()) {
            err.println(PREFIX + "no readings on stdin: no evidence, no verdict (give one JSON line"
                    + " {\"time\": \"<RFC 3339>\", \"celsius\": <number>} per reading)");
            err.flush();
            return 2;
        }
        warnings.stream().limit(MAX_LINE_ERRORS_SHOWN).forEach(message -> err.println(PREFIX + message));
        if (warnings.size() > MAX_LINE_ERRORS_SHOWN) {
            err.println(PREFIX + (warnings.size() - MAX_LINE_ERRORS_SHOWN) + " more readings share a time");
        }
        err.flush();
        ExposureAssessment assessment = ExposureAssessment.of(band, policy, readings);
        out.println(report(assessment, policy, productName).toString());
        out.flush();
        return 0;
    }

    /** The warning for a reading whose time an earlier line already has: the highest of them counts. */
    private static String sameTime(long line, long firstLine, ExposureReading r, double keptSoFar) {
        if (Double.compare(r.celsius(), keptSoFar) == 0) {
            return "warning: line " + line + " repeats the time and value of line " + firstLine + " (" + r.time()
                    + ", " + fmt(r.celsius()) + " °C): counted once";
        }
        return "warning: line " + line + " has the same time as line " + firstLine + " (" + r.time() + ") but "
                + fmt(r.celsius()) + " °C instead of " + fmt(keptSoFar) + " °C: one reading per time counts, the"
                + " highest (" + fmt(Math.max(r.celsius(), keptSoFar)) + " °C)";
    }

    private static String fmt(double celsius) {
        return BigDecimal.valueOf(celsius).stripTrailingZeros().toPlainString();
    }

    /** One input line as a reading. */
    private ExposureReading reading(String text) throws NotAReadingException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new NotAReadingException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new NotAReadingException("expected a JSON object {\"time\": \"<RFC 3339>\", \"celsius\": <number>}");
        }
        JsonNode time = node.get("time");
        if (time == null) {
            throw new NotAReadingException("missing 'time'");
        }
        Instant instant = rfc3339(time);
        JsonNode celsius = node.get("celsius");
        if (celsius == null) {
            throw new NotAReadingException("missing 'celsius'");
        }
        if (!celsius.isNumber()) {
            throw new NotAReadingException("'celsius' is not a number: " + celsius);
        }
        try {
            return ExposureReading.of(instant, celsius.doubleValue());
        } catch (InvalidReadingException e) {
            throw new NotAReadingException(e.getMessage());
        }
    }

    /** RFC 3339 date-time with offset, e.g. {@code 2026-03-01T10:00:00+01:00}; 't' and 'z' may be lower case. */
    private static Instant rfc3339(JsonNode time) throws NotAReadingException {
        if (time.isTextual()) {
            try {
                return OffsetDateTime.parse(time.asText().toUpperCase(Locale.ROOT),
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new NotAReadingException("'time' is not an RFC 3339 timestamp: " + time);
    }

    private ObjectNode report(ExposureAssessment assessment, BreachPolicy policy, String productName) {
        ExposureFigures f = assessment.figures();
        ObjectNode o = json.createObjectNode();
        if (productName != null) {
            o.put("product", productName);
        }
        o.put("readings", f.readings());
        putInstant(o, "firstTime", f.firstTime());
        putInstant(o, "lastTime", f.lastTime());
        putSeconds(o, "coveredSeconds", f.covered());
        putSeconds(o, "torSeconds", f.timeOutOfRange());
        putSeconds(o, "torAboveSeconds", f.timeAbove());
        putSeconds(o, "torBelowSeconds", f.timeBelow());
        o.put("degreeMinutesAbove", f.degreeMinutesAbove());
        o.put("degreeMinutesBelow", f.degreeMinutesBelow());
        putOptional(o, "mktCelsius", f.mktCelsius());
        putOptional(o, "maxCelsius", f.maxCelsius());
        putOptional(o, "minCelsius", f.minCelsius());
        ObjectNode band = o.putObject("band");
        putOptional(band, "lowCelsius", f.band().lowerBound());
        putOptional(band, "highCelsius", f.band().upperBound());
        ObjectNode p = o.putObject("policy");
        putSeconds(p, "torBudgetSeconds", policy.torBudget());
        p.put("majorDegreeMinutes", policy.majorDegreeMinutes());
        putOptional(p, "hardHighCelsius", policy.hardHighCelsius());
        putOptional(p, "hardLowCelsius", policy.hardLowCelsius());
        putOptional(p, "mktLimitCelsius", policy.mktLimitCelsius());
        BreachVerdict verdict = assessment.verdict();
        ObjectNode breach = o.putObject("breach");
        breach.put("breached", verdict.breached());
        breach.put("severity", verdict.severity().name());
        ArrayNode reasons = breach.putArray("reasons");
        for (BreachReason r : verdict.reasons()) {
            reasons.addObject().put("code", r.code().name()).put("severity", r.severity().name()).put("text", r.text());
        }
        return o;
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
