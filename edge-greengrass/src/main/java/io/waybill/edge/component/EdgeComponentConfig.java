package io.waybill.edge.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.event.ConveyorJammed.SignalUnit;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.identity.Sscc;
import io.waybill.edge.model.ConveyorConfig;
import io.waybill.edge.model.ExcursionConfig;
import io.waybill.edge.model.JamConfig;
import io.waybill.edge.model.ProductBand;
import io.waybill.edge.model.ProductSensitivity;
import io.waybill.domain.coldchain.BreachPolicy;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.edge.model.ReeferConfig;
import io.waybill.edge.model.WindowConfig;
import io.waybill.edge.spool.SpoolConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration of the {@code com.waybill.edge.ReeferMonitor} Greengrass component. Immutable; build with
 * {@link #builder(String, String)} (the thing name is required; the shipment SSCC may be null: the component then
 * waits for its assignment; everything else starts at its documented {@code DEFAULT_*} constant) or parse the
 * component configuration JSON with {@link #fromJson}.
 *
 * <h2>JSON (the recipe's {@code DefaultConfiguration})</h2>
 * <pre>
 * {
 *   "thingName": "{iot:thingName}",          // the recipe variable; overridden by --thing-name / AWS_IOT_THING_NAME
 *   "shipmentSscc": "",                      // set per trip by a deployment's configuration merge; "" = none yet
 *   "stage": "dev",                          // the deployment's stage: dt/waybill/<stage>/waybill-edge/<thingName>
 *   "productClass": "chilled-biologics-2-8", // the band and the max sample gap from the product class catalog;
 *                                            // "" = none: the band is productBand's (hand-set)
 *   "productClasses": [ ... ],               // optional: classes added to / replacing the default catalog's by name
 *                                            // (ProductClassCatalog entries), e.g. a class the cloud also has
 *   "productBand": {"sensitivity": "STANDARD"}, // with a productClass: the sensitivity only; without one, the
 *                                            // hand-set band {"name", "minCelsius", "maxCelsius", "sensitivity"}
 *   "excursion": {"minDuration": "PT5M", "exitDuration": "PT2M", "enterMarginCelsius": 0.5,
 *                 "exitMarginCelsius": 0.5, "updateInterval": "PT1H"},
 *   "windowLength": "PT5M",
 *   "summaryHeartbeat": "PT8H",
 *   "spool": {"maxBytes": 16777216, "maxMessages": 50000},
 *   "sensorTopic": "sensors/+/temperature",
 *   "uplink": {"publishTimeout": "PT30S", "retryMinBackoff": "PT1S", "retryMaxBackoff": "PT1M",
 *              "acknowledgement": "cloud",      // or "puback" (a broker with no Waybill cloud behind it)
 *              "confirmTimeout": "PT2M", "maxUnconfirmed": 500, "quarantineAfter": 5, "maxPayloadBytes": 131072},
 *   "conveyor": {"sensorTopic": "sensors/+/vibration",   // "" = no conveyor monitoring
 *                "unit": "mm/s",                          // or "A" (motor current)
 *                "facilityGln": "",                       // the site's GLN, "" = none
 *                "jam": {"warmUpSamples": 120, "baselineAlpha": 0.05, "scaleAlpha": 0.01,
 *                        "jamThresholdSigmas": 4.0, "allowanceSigmas": 0.5, "maxSamplesToDetect": 5,
 *                        "clearSigmas": 2.0, "clearSamples": 10, "minScale": 0.01}},
 *   "signingKeyPath": "",                    // PKCS#8 PEM of the device's P-256 signing key, provisioned with the
 *                                            // device certificate; "" = messages go unsigned (logged at start)
 *   "accessControl": {...}                   // Greengrass' own; ignored here
 * }
 * </pre>
 * Durations are ISO-8601 ({@code PT5M}). Every key may be left out (its default applies); without a shipment the
 * component runs and waits for one ({@link ShipmentAssignments}); a
 * band side given as {@code null} is open (frozen goods: {@code "minCelsius": null, "maxCelsius": -18}). An unknown
 * key is an error, so a typo does not silently fall back to a default. Excursion settings not listed here (glitch
 * filter, sample gap) stay at the {@link ExcursionConfig} defaults.
 *
 * <h2>Where the band comes from (precedence)</h2>
 * <ol>
 *   <li>{@code productClass} names a class (of {@link ProductClassCatalog#defaults()} overridden by
 *       {@code productClasses}): the band's limits and name are the class's, and the summarizer's maximum sample gap
 *       ({@link WindowConfig#maxSampleGap()}) is the class policy's {@link BreachPolicy#maxInterpolationGap()}, so
 *       the edge and the cloud judge with the same figures. {@code productBand} may then hold only
 *       {@code sensitivity}; a name or a limit there as well is an error (two sources for one band). A name the
 *       catalog does not hold is an error.</li>
 *   <li>{@code productClass} is {@code ""}, or absent while {@code productBand} is given: the hand-set
 *       {@code productBand}, with the summarizer's default sample gap.</li>
 *   <li>neither given: {@link #DEFAULT_PRODUCT_CLASS}.</li>
 * </ol>
 * The recipe's default configuration names {@link #DEFAULT_PRODUCT_CLASS}, so a deployment that wants a hand-set band
 * merges {@code "productClass": ""} with its {@code productBand}.
 *
 * @param thingName        the AWS IoT thing name of the Greengrass core: the message {@code deviceId} and the last
 *                         level of the uplink topic
 * @param shipmentSscc     the SSCC of the shipment in the container (18 digits after parsing), or null while the
 *                         container has no shipment assigned (blank is read as null)
 * @param band             the product's temperature band and sensitivity
 * @param excursion        excursion detection (debounce, hysteresis margins, update interval)
 * @param windowLength     the summary window (must divide a day)
 * @param summaryHeartbeat windows are coalesced into one uplinked summary per heartbeat (a multiple of the window)
 * @param spoolMaxBytes    bound of the store-and-forward spool on disk
 * @param spoolMaxMessages bound of the spool's message count
 * @param sensorTopic      the local MQTT topic filter the probes publish on; the sensor id is the level the single
 *                         {@code +} stands for ({@code sensors/<sensorId>/temperature})
 * @param publishTimeout   how long a QoS 1 publish may wait for its PUBACK before it counts as failed
 * @param retryMinBackoff  first wait of the drain loop after a failed publish or while the link is down
 * @param retryMaxBackoff  the wait doubles up to this
 * @param conveyor         conveyor drive monitoring (jam detection): on by default on {@code sensors/+/vibration}
 * @param stage            the deployment stage the core belongs to (the second level of the uplink topic); the CDK
 *                         deployment's configuration merge sets it
 * @param signingKeyPath   the device's P-256 signing key (PKCS#8 PEM, {@link SigningKey}), provisioned on the device
 *                         with its certificate and never part of a deployment; null: messages are not signed
 * @param delivery         when a spooled message may be forgotten (cloud storage confirmation or PUBACK) and what
 *                         happens to one the broker refuses for good
 * @param productClass     the product class the band and the summarizer's sample gap come from, or null when the band
 *                         is hand-set; when set, {@code band}'s limits are the class's
 */
public record EdgeComponentConfig(String thingName, String shipmentSscc, ProductBand band, ExcursionConfig excursion,
                                  Duration windowLength, Duration summaryHeartbeat, long spoolMaxBytes,
                                  int spoolMaxMessages, String sensorTopic, Duration publishTimeout,
                                  Duration retryMinBackoff, Duration retryMaxBackoff, Conveyor conveyor,
                                  String stage, Path signingKeyPath, Delivery delivery, ProductClass productClass) {

    /** When the spool may forget a message. */
    public enum Acknowledgement {
        /**
         * When the cloud confirmed it stored the message ({@code cmd/waybill/<stage>/<thing>/stored}); the default:
         * a PUBACK only says the broker (or the Greengrass nucleus, which queues it) took it.
         */
        CLOUD,
        /** When the broker's PUBACK arrived: for a broker with no Waybill cloud behind it (no confirmations). */
        PUBACK
    }

    /**
     * The delivery settings ({@code uplink} section).
     *
     * @param acknowledgement when a spooled message is forgotten
     * @param confirmTimeout  with {@code CLOUD}: a message PUBACKed this long ago without a confirmation is sent again
     *                        (the cloud dedupes; it confirms a stored duplicate again)
     * @param maxUnconfirmed  with {@code CLOUD}: at most this many summaries sent and not yet confirmed (alerts are
     *                        never held back by it), so a cloud that stores nothing does not get the whole backlog
     *                        again every {@code confirmTimeout}
     * @param quarantineAfter a message the broker refused for good ({@link io.waybill.edge.uplink.UplinkRefusedException})
     *                        this many times is moved to the quarantine file and the spool moves on
     * @param maxPayloadBytes a message larger than this is refused for good without being sent (AWS IoT Core's
     *                        limit is 128 KiB)
     */
    public record Delivery(Acknowledgement acknowledgement, Duration confirmTimeout, int maxUnconfirmed,
                           int quarantineAfter, int maxPayloadBytes) {
        /** {@link Acknowledgement#CLOUD}. */
        public static final Acknowledgement DEFAULT_ACKNOWLEDGEMENT = Acknowledgement.CLOUD;
        /** 2 min: ingest stores within seconds; a resend after 2 minutes costs one duplicate. */
        public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofMinutes(2);
        /** 500 summaries (about 300 KB) in flight at most. */
        public static final int DEFAULT_MAX_UNCONFIRMED = 500;
        /** 5 refusals: one or two can be a policy being deployed; five in a row are not. */
        public static final int DEFAULT_QUARANTINE_AFTER = 5;
        /** 131,072 bytes: AWS IoT Core's MQTT payload limit. */
        public static final int DEFAULT_MAX_PAYLOAD_BYTES = 128 * 1024;

        public Delivery {
            Objects.requireNonNull(acknowledgement, "acknowledgement");
            positive("confirmTimeout", confirmTimeout);
            if (maxUnconfirmed < 1 || quarantineAfter < 1 || maxPayloadBytes < 1) {
                throw new IllegalArgumentException("maxUnconfirmed, quarantineAfter and maxPayloadBytes must be >= 1");
            }
        }

        public static Delivery defaults() {
            return new Delivery(DEFAULT_ACKNOWLEDGEMENT, DEFAULT_CONFIRM_TIMEOUT, DEFAULT_MAX_UNCONFIRMED,
                    DEFAULT_QUARANTINE_AFTER, DEFAULT_MAX_PAYLOAD_BYTES);
        }

        /** The same with another acknowledgement. */
        public Delivery with(Acknowledgement a) {
            return new Delivery(a, confirmTimeout, maxUnconfirmed, quarantineAfter, maxPayloadBytes);
        }
    }

    /**
     * The conveyor section: the component also watches conveyor drives, one {@code ConveyorJamDetector} per drive
     * sensor, and sends every jam detected and cleared as an ALERT ({@code ConveyorJammed}).
     *
     * @param sensorTopic the local topic filter the drives publish on, {@code +} = the sensor id; empty = off
     * @param unit        the drives' signal unit: {@code mm/s} (RMS vibration) or {@code A} (motor current)
     * @param jam         the detector settings
     * @param facilityGln the site's GLN (any GS1 form, stored as 13 digits), or null / empty for none
     */
    public record Conveyor(String sensorTopic, SignalUnit unit, JamConfig jam, String facilityGln) {
        /** {@code sensors/+/vibration}: on by default; a device without drives simply receives nothing there. */
        public static final String DEFAULT_SENSOR_TOPIC = "sensors/+/vibration";
        /** mm/s, the unit of the default vibration topic. */
        public static final SignalUnit DEFAULT_UNIT = SignalUnit.MM_PER_S;
        /** {@link JamConfig#defaults()}. */
        public static final JamConfig DEFAULT_JAM = JamConfig.defaults();

        public Conveyor {
            sensorTopic = sensorTopic == null ? "" : sensorTopic;
            if (!sensorTopic.isEmpty()) {
                checkTopicFilter("conveyor.sensorTopic", sensorTopic);
            }
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(jam, "jam");
            if (facilityGln != null && facilityGln.isBlank()) {
                facilityGln = null;
            }
            if (facilityGln != null) {
                try {
                    facilityGln = Gln.parse(facilityGln, "conveyor.facilityGln");
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }

        public static Conveyor defaults() {
            return new Conveyor(DEFAULT_SENSOR_TOPIC, DEFAULT_UNIT, DEFAULT_JAM, null);
        }

        /** No conveyor monitoring. */
        public static Conveyor off() {
            return new Conveyor("", DEFAULT_UNIT, DEFAULT_JAM, null);
        }

        public boolean enabled() {
            return !sensorTopic.isEmpty();
        }
    }

    /** The adapter id of the edge in the cloud's topic scheme {@code dt/waybill/<stage>/<adapter>/<thingName>}. */
    public static final String ADAPTER_ID = "waybill-edge";
    /** The recipe variable as it reads when Greengrass did not interpolate it. */
    public static final String THING_NAME_VARIABLE = "{iot:thingName}";

    /** {@link ProductBand#CHILLED}: 2..8 °C, standard sensitivity: the hand-set band when no product class is given. */
    public static final ProductBand DEFAULT_BAND = ProductBand.CHILLED;
    /**
     * {@code chilled-biologics-2-8} (2..8 °C, the cloud's default class {@code ColdChainConfig.DEFAULT_PRODUCT_CLASS}):
     * the product class when the configuration names none and sets no band.
     */
    public static final String DEFAULT_PRODUCT_CLASS = "chilled-biologics-2-8";
    /** {@link ExcursionConfig#defaults()}: 5 min debounce, 2 min exit, 0.5 °C margins, hourly updates. */
    public static final ExcursionConfig DEFAULT_EXCURSION = ExcursionConfig.defaults();
    /** {@link WindowConfig#DEFAULT_WINDOW}: 5 minutes. */
    public static final Duration DEFAULT_WINDOW_LENGTH = WindowConfig.DEFAULT_WINDOW;
    /** {@link ReeferConfig#DEFAULT_SUMMARY_HEARTBEAT}: 8 hours. */
    public static final Duration DEFAULT_SUMMARY_HEARTBEAT = ReeferConfig.DEFAULT_SUMMARY_HEARTBEAT;
    /** {@link SpoolConfig#DEFAULT_MAX_BYTES}: 16 MiB. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = SpoolConfig.DEFAULT_MAX_BYTES;
    /** {@link SpoolConfig#DEFAULT_MAX_MESSAGES}: 50,000. */
    public static final int DEFAULT_SPOOL_MAX_MESSAGES = SpoolConfig.DEFAULT_MAX_MESSAGES;
    /** {@code sensors/+/temperature}. */
    public static final String DEFAULT_SENSOR_TOPIC = "sensors/+/temperature";
    /** 30 s: a satellite link's round trip is seconds, not tens of seconds. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** 1 s. */
    public static final Duration DEFAULT_RETRY_MIN_BACKOFF = Duration.ofSeconds(1);
    /** 1 min: a restored link is used within a minute. */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofMinutes(1);
    /**
     * {@code dev}: the CDK app's default stage. A deployment of another stage sets {@code stage} in its configuration
     * merge (and the matching {@code accessControl} resource).
     */
    public static final String DEFAULT_STAGE = "dev";
    /** A stage name as the CDK app accepts it (StageConfig): lower case, digits and dashes, at most 20. */
    public static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    /** {@link Conveyor#defaults()}: on, {@code sensors/+/vibration} in mm/s, {@link JamConfig#defaults()}, no GLN. */
    public static final Conveyor DEFAULT_CONVEYOR = Conveyor.defaults();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("thingName", "shipmentSscc", "productBand", "excursion",
            "windowLength", "summaryHeartbeat", "spool", "sensorTopic", "uplink", "conveyor", "stage",
            "signingKeyPath", "accessControl", "productClass", "productClasses");
    /**
     * A valid SSCC the trip settings (band, excursion, window, heartbeat) are checked with while no shipment is
     * assigned, so that a bad setting fails at startup and not at the first assignment. Never sent.
     */
    private static final String SETTINGS_CHECK_SSCC = "106141412345678908";
    private static final Set<String> JAM_KEYS = Set.of("warmUpSamples", "baselineAlpha", "scaleAlpha",
            "jamThresholdSigmas", "allowanceSigmas", "maxSamplesToDetect", "clearSigmas", "clearSamples", "minScale");

    public EdgeComponentConfig {
        Objects.requireNonNull(thingName, "thingName");
        if (thingName.isBlank() || thingName.equals(THING_NAME_VARIABLE)) {
            throw new IllegalArgumentException("thingName is required (--thing-name, AWS_IOT_THING_NAME or the "
                    + "configuration's thingName)");
        }
        if (thingName.contains("/") || thingName.contains("+") || thingName.contains("#")) {
            throw new IllegalArgumentException("thingName must not contain '/', '+' or '#': " + thingName);
        }
        if (shipmentSscc != null && shipmentSscc.isBlank()) {
            shipmentSscc = null;
        }
        if (shipmentSscc != null) {
            try {
                shipmentSscc = Sscc.parse(shipmentSscc, "shipmentSscc");
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        Objects.requireNonNull(stage, "stage");
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage '" + stage + "' must match " + STAGE_NAME.pattern());
        }
        Objects.requireNonNull(band, "band");
        if (productClass != null && !bandOf(productClass, band.sensitivity()).equals(band)) {
            throw new IllegalArgumentException("productBand " + band.name() + " " + band.minCelsius() + ".."
                    + band.maxCelsius() + " °C conflicts with productClass '" + productClass.name() + "' ("
                    + productClass.band() + "): give one or the other (productClass \"\" for a hand-set band)");
        }
        Objects.requireNonNull(excursion, "excursion");
        Objects.requireNonNull(windowLength, "windowLength");
        Objects.requireNonNull(summaryHeartbeat, "summaryHeartbeat");
        Objects.requireNonNull(sensorTopic, "sensorTopic");
        checkTopicFilter("sensorTopic", sensorTopic);
        Objects.requireNonNull(conveyor, "conveyor");
        if (conveyor.enabled() && overlap(sensorTopic, conveyor.sensorTopic())) {
            throw new IllegalArgumentException("conveyor.sensorTopic " + conveyor.sensorTopic()
                    + " overlaps sensorTopic " + sensorTopic + ": a message must be either a temperature or a drive");
        }
        positive("publishTimeout", publishTimeout);
        positive("retryMinBackoff", retryMinBackoff);
        positive("retryMaxBackoff", retryMaxBackoff);
        Objects.requireNonNull(delivery, "delivery");
        if (retryMaxBackoff.compareTo(retryMinBackoff) < 0) {
            throw new IllegalArgumentException("retryMaxBackoff " + retryMaxBackoff + " < retryMinBackoff "
                    + retryMinBackoff);
        }
    }

    private static void checkTopicFilter(String name, String filter) {
        if (filter.split("/", -1).length < 2 || filter.chars().filter(c -> c == '+').count() != 1
                || filter.contains("#")) {
            throw new IllegalArgumentException(name + " must hold exactly one '+' (the sensor id) and no '#': "
                    + filter);
        }
    }

    /** Whether some topic matches both filters (each holds '+' levels only, no '#'). */
    private static boolean overlap(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The edge band of a product class: its name and limits (an open side infinite), with this sensitivity.
     *
     * @throws IllegalArgumentException when the class's band has no width (the edge needs low below high)
     */
    public static ProductBand bandOf(ProductClass productClass, ProductSensitivity sensitivity) {
        try {
            return new ProductBand(productClass.name(), productClass.band().lowCelsius(),
                    productClass.band().highCelsius(), sensitivity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("productClass '" + productClass.name() + "': " + e.getMessage(), e);
        }
    }

    /** Checks what the model and the spool would refuse, so a bad configuration fails at startup. */
    private EdgeComponentConfig validated() {
        reeferConfig(shipmentSscc == null ? SETTINGS_CHECK_SSCC : shipmentSscc, 0);
        spoolConfig(Path.of("."));
        return this;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    public static Builder builder(String thingName, String shipmentSscc) {
        return new Builder().thingName(thingName).shipmentSscc(shipmentSscc);
    }

    public Builder toBuilder() {
        return new Builder().thingName(thingName).shipmentSscc(shipmentSscc).band(band).excursion(excursion)
                .windowLength(windowLength).summaryHeartbeat(summaryHeartbeat).spoolMaxBytes(spoolMaxBytes)
                .spoolMaxMessages(spoolMaxMessages).sensorTopic(sensorTopic).publishTimeout(publishTimeout)
                .retryMinBackoff(retryMinBackoff).retryMaxBackoff(retryMaxBackoff).conveyor(conveyor).stage(stage)
                .signingKeyPath(signingKeyPath).delivery(delivery).productClassAndBand(productClass, band);
    }

    /** Whether a shipment is assigned. */
    public boolean assigned() {
        return shipmentSscc != null;
    }

    /**
     * The settings a configuration update may change while the component runs: the shipment and its trip's model
     * settings (product class, band, excursion, window, heartbeat). Everything else (thing, stage and so the uplink topic, topics,
     * spool, uplink, conveyor) applies at the next start.
     */
    public boolean sameExceptTrip(EdgeComponentConfig other) {
        return thingName.equals(other.thingName) && stage.equals(other.stage) && sensorTopic.equals(other.sensorTopic)
                && spoolMaxBytes == other.spoolMaxBytes && spoolMaxMessages == other.spoolMaxMessages
                && publishTimeout.equals(other.publishTimeout) && retryMinBackoff.equals(other.retryMinBackoff)
                && retryMaxBackoff.equals(other.retryMaxBackoff) && conveyor.equals(other.conveyor)
                && Objects.equals(signingKeyPath, other.signingKeyPath) && delivery.equals(other.delivery);
    }

    /** {@code cmd/waybill/<stage>/<thingName>/stored}: where the cloud confirms what it stored. */
    public String confirmationTopic() {
        return io.waybill.edge.uplink.StorageConfirmation.topic(stage, thingName);
    }

    /** {@code dt/waybill/<stage>/waybill-edge/<thingName>}: where every message goes. */
    public String uplinkTopic() {
        return uplinkTopic(stage, thingName);
    }

    /** {@code dt/waybill/<stage>/waybill-edge/<thingName>}. */
    public static String uplinkTopic(String stage, String thingName) {
        return "dt/waybill/" + stage + "/" + ADAPTER_ID + "/" + thingName;
    }

    /**
     * The edge model's configuration for the assigned shipment; {@code firstSequence} is the spool's last sequence
     * + 1.
     *
     * @throws IllegalStateException when no shipment is assigned
     */
    public ReeferConfig reeferConfig(long firstSequence) {
        if (shipmentSscc == null) {
            throw new IllegalStateException("no shipment assigned to " + thingName);
        }
        return reeferConfig(shipmentSscc, firstSequence);
    }

    private ReeferConfig reeferConfig(String sscc, long firstSequence) {
        return ReeferConfig.builder().deviceId(thingName).shipmentSscc(sscc).band(band).excursion(excursion)
                .window(windowConfig()).summaryHeartbeat(summaryHeartbeat)
                .firstSequence(firstSequence).build();
    }

    /**
     * The summarizer's settings: the window length, and with a product class its policy's maximum interpolation gap as
     * the maximum sample gap (else {@link WindowConfig#DEFAULT_MAX_SAMPLE_GAP}).
     */
    public WindowConfig windowConfig() {
        WindowConfig.Builder w = WindowConfig.builder().window(windowLength);
        if (productClass != null) {
            w.maxSampleGap(productClass.policy().maxInterpolationGap());
        }
        return w.build();
    }

    /** The conveyor model's configuration (whether or not {@link Conveyor#enabled()}). */
    public ConveyorConfig conveyorConfig() {
        return new ConveyorConfig(thingName, conveyor.facilityGln(), conveyor.unit(), conveyor.jam());
    }

    /**
     * The drive sensor id in a topic that matched {@code conveyor.sensorTopic} (the level of the {@code +}), or
     * {@code null} when conveyor monitoring is off or the topic does not match.
     */
    public String conveyorSensorIdOf(String topic) {
        return conveyor.enabled() ? sensorIdOf(conveyor.sensorTopic(), topic) : null;
    }

    /** The spool's configuration in {@code directory} (fsync policies and segment size at their defaults). */
    public SpoolConfig spoolConfig(Path directory) {
        return SpoolConfig.builder(directory).maxBytes(spoolMaxBytes).maxMessages(spoolMaxMessages).build();
    }

    /**
     * The sensor id in a topic that matched {@link #sensorTopic()} (the level of the {@code +}), or {@code null}
     * when the topic does not match.
     */
    public String sensorIdOf(String topic) {
        return sensorIdOf(sensorTopic, topic);
    }

    private static String sensorIdOf(String topicFilter, String topic) {
        String[] filter = topicFilter.split("/", -1);
        String[] levels = topic.split("/", -1);
        if (filter.length != levels.length) {
            return null;
        }
        String id = null;
        for (int i = 0; i < filter.length; i++) {
            if (filter[i].equals("+")) {
                id = levels[i];
            } else if (!filter[i].equals(levels[i])) {
                return null;
            }
        }
        return id == null || id.isBlank() ? null : id;
    }

    /** Parses a component configuration file (JSON); see {@link #fromJson(JsonNode, String, String)}. */
    public static EdgeComponentConfig fromFile(Path file, String thingNameOverride, String shipmentSsccOverride) {
        try {
            return fromJson(JSON.readTree(Files.readAllBytes(file)), thingNameOverride, shipmentSsccOverride);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the component configuration " + file, e);
        }
    }

    /** Parses component configuration JSON text; see {@link #fromJson(JsonNode, String, String)}. */
    public static EdgeComponentConfig fromJson(String json, String thingNameOverride, String shipmentSsccOverride) {
        try {
            return fromJson(JSON.readTree(json), thingNameOverride, shipmentSsccOverride);
        } catch (IOException e) {
            throw new IllegalArgumentException("component configuration is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code shipmentSscc} text of a component configuration as it is (not validated), or null when it is
     * missing, null or blank.
     */
    public static String shipmentSsccOf(JsonNode root) {
        JsonNode v = root == null ? null : root.get("shipmentSscc");
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            return null;
        }
        return v.asText().trim();
    }

    /**
     * Parses the component configuration without its shipment: what the component starts with. The shipment is
     * {@link ShipmentAssignments}' business (an invalid one is logged and ignored there, not a startup failure).
     */
    public static EdgeComponentConfig withoutShipment(JsonNode root, String thingNameOverride) {
        JsonNode rest = root;
        if (root != null && root.isObject() && root.has("shipmentSscc")) {
            rest = ((com.fasterxml.jackson.databind.node.ObjectNode) root.deepCopy()).without("shipmentSscc");
        }
        return fromJson(rest, thingNameOverride, null);
    }

    /**
     * Parses the component configuration (the recipe's {@code DefaultConfiguration} merged with the deployment's).
     *
     * @param thingNameOverride    when not null, wins over the configuration's {@code thingName}
     * @param shipmentSsccOverride when not null, wins over the configuration's {@code shipmentSscc}
     * @throws IllegalArgumentException naming the key, when a value is missing, malformed or out of range
     */
    public static EdgeComponentConfig fromJson(JsonNode root, String thingNameOverride, String shipmentSsccOverride) {
        Builder b = new Builder();
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) {
                throw new IllegalArgumentException("component configuration must be a JSON object");
            }
            checkKeys(root, "", TOP_LEVEL_KEYS);
            b.thingName(text(root, "thingName", null));
            b.shipmentSscc(text(root, "shipmentSscc", null));
            productBand(root, b);
            JsonNode x = root.path("excursion");
            if (!x.isMissingNode()) {
                checkKeys(x, "excursion.", Set.of("minDuration", "exitDuration", "enterMarginCelsius",
                        "exitMarginCelsius", "updateInterval"));
                ExcursionConfig d = DEFAULT_EXCURSION;
                b.excursion(d.toBuilder()
                        .minDuration(duration(x, "minDuration", d.minDuration()))
                        .exitDuration(duration(x, "exitDuration", d.exitDuration()))
                        .enterMarginCelsius(number(x, "enterMarginCelsius", d.enterMarginCelsius()))
                        .exitMarginCelsius(number(x, "exitMarginCelsius", d.exitMarginCelsius()))
                        .updateInterval(duration(x, "updateInterval", d.updateInterval()))
                        .build());
            }
            b.windowLength(duration(root, "windowLength", DEFAULT_WINDOW_LENGTH));
            b.summaryHeartbeat(duration(root, "summaryHeartbeat", DEFAULT_SUMMARY_HEARTBEAT));
            JsonNode spool = root.path("spool");
            if (!spool.isMissingNode()) {
                checkKeys(spool, "spool.", Set.of("maxBytes", "maxMessages"));
                b.spoolMaxBytes((long) number(spool, "maxBytes", DEFAULT_SPOOL_MAX_BYTES));
                b.spoolMaxMessages((int) number(spool, "maxMessages", DEFAULT_SPOOL_MAX_MESSAGES));
            }
            b.sensorTopic(text(root, "sensorTopic", DEFAULT_SENSOR_TOPIC));
            b.stage(text(root, "stage", DEFAULT_STAGE));
            String key = text(root, "signingKeyPath", null);
            b.signingKeyPath(key == null || key.isBlank() ? null : Path.of(key.trim()));
            JsonNode up = root.path("uplink");
            if (!up.isMissingNode()) {
                checkKeys(up, "uplink.", Set.of("publishTimeout", "retryMinBackoff", "retryMaxBackoff",
                        "acknowledgement", "confirmTimeout", "maxUnconfirmed", "quarantineAfter", "maxPayloadBytes"));
                String ack = text(up, "acknowledgement", Delivery.DEFAULT_ACKNOWLEDGEMENT.name());
                Acknowledgement mode;
                try {
                    mode = Acknowledgement.valueOf(ack.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("uplink.acknowledgement must be \"cloud\" or \"puback\", was "
                            + ack, e);
                }
                b.delivery(new Delivery(mode,
                        duration(up, "confirmTimeout", Delivery.DEFAULT_CONFIRM_TIMEOUT),
                        (int) number(up, "maxUnconfirmed", Delivery.DEFAULT_MAX_UNCONFIRMED),
                        (int) number(up, "quarantineAfter", Delivery.DEFAULT_QUARANTINE_AFTER),
                        (int) number(up, "maxPayloadBytes", Delivery.DEFAULT_MAX_PAYLOAD_BYTES)));
                b.publishTimeout(duration(up, "publishTimeout", DEFAULT_PUBLISH_TIMEOUT));
                b.retryMinBackoff(duration(up, "retryMinBackoff", DEFAULT_RETRY_MIN_BACKOFF));
                b.retryMaxBackoff(duration(up, "retryMaxBackoff", DEFAULT_RETRY_MAX_BACKOFF));
            }
            JsonNode cv = root.path("conveyor");
            if (!cv.isMissingNode()) {
                checkKeys(cv, "conveyor.", Set.of("sensorTopic", "unit", "facilityGln", "jam"));
                JamConfig jam = DEFAULT_CONVEYOR.jam();
                JsonNode j = cv.path("jam");
                if (!j.isMissingNode()) {
                    checkKeys(j, "conveyor.jam.", JAM_KEYS);
                    jam = jam.toBuilder()
                            .warmUpSamples(integer(j, "warmUpSamples", jam.warmUpSamples()))
                            .baselineAlpha(number(j, "baselineAlpha", jam.baselineAlpha()))
                            .scaleAlpha(number(j, "scaleAlpha", jam.scaleAlpha()))
                            .jamThresholdSigmas(number(j, "jamThresholdSigmas", jam.jamThresholdSigmas()))
                            .allowanceSigmas(number(j, "allowanceSigmas", jam.allowanceSigmas()))
                            .maxSamplesToDetect(integer(j, "maxSamplesToDetect", jam.maxSamplesToDetect()))
                            .clearSigmas(number(j, "clearSigmas", jam.clearSigmas()))
                            .clearSamples(integer(j, "clearSamples", jam.clearSamples()))
                            .minScale(number(j, "minScale", jam.minScale()))
                            .build();
                }
                b.conveyor(new Conveyor(text(cv, "sensorTopic", DEFAULT_CONVEYOR.sensorTopic()),
                        SignalUnit.ofSymbol(text(cv, "unit", DEFAULT_CONVEYOR.unit().symbol())), jam,
                        text(cv, "facilityGln", DEFAULT_CONVEYOR.facilityGln())));
            }
        }
        if (thingNameOverride != null && !thingNameOverride.isBlank()) {
            b.thingName(thingNameOverride);
        }
        if (shipmentSsccOverride != null && !shipmentSsccOverride.isBlank()) {
            b.shipmentSscc(shipmentSsccOverride);
        }
        return b.build();
    }

    /** {@code productClass}, {@code productClasses} and {@code productBand}: see "Where the band comes from". */
    private static void productBand(JsonNode root, Builder b) {
        ProductClassCatalog catalog = ProductClassCatalog.defaults();
        JsonNode classes = root.get("productClasses");
        if (classes != null && !classes.isNull()) {
            catalog = catalog.overriddenBy(ProductClassCatalog.fromEntries(classes, "productClasses"));
        }
        String className = text(root, "productClass", null);
        JsonNode band = root.path("productBand");
        if (!band.isMissingNode()) {
            checkKeys(band, "productBand.", Set.of("name", "minCelsius", "maxCelsius", "sensitivity"));
        }
        ProductSensitivity sensitivity = band.isMissingNode() ? DEFAULT_BAND.sensitivity()
                : sensitivity(text(band, "sensitivity", DEFAULT_BAND.sensitivity().name()));
        if (className != null && !className.isBlank()) {
            ProductClassCatalog known = catalog;
            ProductClass pc = known.find(className).orElseThrow(() -> new IllegalArgumentException("productClass '"
                    + className + "' is not in the product class catalog (known: " + String.join(", ", known.names())
                    + "; add it with productClasses)"));
            for (String key : List.of("name", "minCelsius", "maxCelsius")) {
                if (band.has(key)) {
                    throw new IllegalArgumentException("productBand." + key + " conflicts with productClass '"
                            + pc.name() + "': the band comes from the product class (set productClass to \"\" for a "
                            + "hand-set productBand, or keep only productBand.sensitivity)");
                }
            }
            b.productClassAndBand(pc, bandOf(pc, sensitivity));
        } else if (className != null || !band.isMissingNode()) {
            // productClass "" (explicitly none), or a hand-set productBand without a productClass
            b.productClassAndBand(null, band.isMissingNode() ? DEFAULT_BAND : new ProductBand(
                    text(band, "name", DEFAULT_BAND.name()),
                    limit(band, "minCelsius", DEFAULT_BAND.minCelsius(), Double.NEGATIVE_INFINITY),
                    limit(band, "maxCelsius", DEFAULT_BAND.maxCelsius(), Double.POSITIVE_INFINITY), sensitivity));
        }
        // neither: the builder's default, DEFAULT_PRODUCT_CLASS
    }

    private static ProductSensitivity sensitivity(String text) {
        try {
            return ProductSensitivity.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("productBand.sensitivity must be one of "
                    + java.util.Arrays.toString(ProductSensitivity.values()) + ", was " + text, e);
        }
    }

    private static void checkKeys(JsonNode node, String prefix, Set<String> allowed) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix.isEmpty() ? "configuration must be an object"
                    : prefix.substring(0, prefix.length() - 1) + " must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown configuration key " + prefix + key + " (known: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static String text(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string, was " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode n, String key, double dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) { // Greengrass configuration merges sometimes carry numbers as strings
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, was " + v, e);
            }
        }
        throw new IllegalArgumentException(key + " must be a number, was " + v);
    }

    private static int integer(JsonNode n, String key, int dflt) {
        double v = number(n, key, dflt);
        if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be a whole number, was " + n.get(key));
        }
        return (int) v;
    }

    /** A band limit: absent means the default, an explicit null means an open side. */
    private static double limit(JsonNode n, String key, double dflt, double open) {
        if (!n.has(key)) {
            return dflt;
        }
        return n.get(key).isNull() ? open : number(n, key, dflt);
    }

    private static Duration duration(JsonNode n, String key, Duration dflt) {
        String s = text(n, key, null);
        if (s == null) {
            return dflt;
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT5M, was " + s, e);
        }
    }

    public static final class Builder {
        private String thingName;
        private String shipmentSscc;
        private ProductBand band;
        private boolean bandSet;
        private ProductClass productClass = ProductClassCatalog.defaults().require(DEFAULT_PRODUCT_CLASS);
        private boolean productClassSet;
        private ExcursionConfig excursion = DEFAULT_EXCURSION;
        private Duration windowLength = DEFAULT_WINDOW_LENGTH;
        private Duration summaryHeartbeat = DEFAULT_SUMMARY_HEARTBEAT;
        private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
        private int spoolMaxMessages = DEFAULT_SPOOL_MAX_MESSAGES;
        private String sensorTopic = DEFAULT_SENSOR_TOPIC;
        private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
        private Duration retryMinBackoff = DEFAULT_RETRY_MIN_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
        private Conveyor conveyor = DEFAULT_CONVEYOR;
        private String stage = DEFAULT_STAGE;
        private Path signingKeyPath;
        private Delivery delivery = Delivery.defaults();

        private Builder() {
        }

        /** The delivery settings; {@link Delivery#defaults()} by default. */
        public Builder delivery(Delivery v) {
            this.delivery = v;
            return this;
        }

        /** Only the acknowledgement of the delivery settings. */
        public Builder acknowledgement(Acknowledgement v) {
            this.delivery = delivery.with(v);
            return this;
        }

        /** The device's signing key file (PKCS#8 PEM); null (the default) = unsigned. */
        public Builder signingKeyPath(Path v) {
            this.signingKeyPath = v;
            return this;
        }

        public Builder stage(String v) {
            this.stage = v;
            return this;
        }

        public Builder conveyor(Conveyor v) {
            this.conveyor = v;
            return this;
        }

        public Builder thingName(String v) {
            this.thingName = v;
            return this;
        }

        public Builder shipmentSscc(String v) {
            this.shipmentSscc = v;
            return this;
        }

        /**
         * A hand-set band. Without {@link #productClass} also called, it replaces the default product class (the
         * band is then this one, the summarizer's sample gap the default); with a product class, its limits must be
         * the class's.
         */
        public Builder band(ProductBand v) {
            this.band = v;
            this.bandSet = true;
            return this;
        }

        /**
         * The product class the band and the summarizer's sample gap come from ({@link #DEFAULT_PRODUCT_CLASS} of
         * the default catalog by default); null for a hand-set band ({@link #band}, else {@link #DEFAULT_BAND}).
         */
        public Builder productClass(ProductClass v) {
            this.productClass = v;
            this.productClassSet = true;
            return this;
        }

        /** Both at once, as a parsed configuration or a running trip has them. */
        Builder productClassAndBand(ProductClass pc, ProductBand b) {
            return productClass(pc).band(b);
        }

        public Builder excursion(ExcursionConfig v) {
            this.excursion = v;
            return this;
        }

        public Builder windowLength(Duration v) {
            this.windowLength = v;
            return this;
        }

        public Builder summaryHeartbeat(Duration v) {
            this.summaryHeartbeat = v;
            return this;
        }

        public Builder spoolMaxBytes(long v) {
            this.spoolMaxBytes = v;
            return this;
        }

        public Builder spoolMaxMessages(int v) {
            this.spoolMaxMessages = v;
            return this;
        }

        public Builder sensorTopic(String v) {
            this.sensorTopic = v;
            return this;
        }

        public Builder publishTimeout(Duration v) {
            this.publishTimeout = v;
            return this;
        }

        public Builder retryMinBackoff(Duration v) {
            this.retryMinBackoff = v;
            return this;
        }

        public Builder retryMaxBackoff(Duration v) {
            this.retryMaxBackoff = v;
            return this;
        }

        /** @throws IllegalArgumentException when a value is missing or out of range (also for the model/spool) */
        public EdgeComponentConfig build() {
            ProductClass pc = bandSet && !productClassSet ? null : productClass;
            ProductBand b = band;
            if (b == null || !bandSet) {
                b = pc == null ? DEFAULT_BAND : bandOf(pc, DEFAULT_BAND.sensitivity());
            }
            return new EdgeComponentConfig(thingName, shipmentSscc, b, excursion, windowLength, summaryHeartbeat,
                    spoolMaxBytes, spoolMaxMessages, sensorTopic, publishTimeout, retryMinBackoff, retryMaxBackoff,
                    conveyor, stage, signingKeyPath, delivery, pc).validated();
        }
    }
}
