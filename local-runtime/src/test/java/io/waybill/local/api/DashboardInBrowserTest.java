package io.waybill.local.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

import io.waybill.aws.eventstore.DynamoDbEventLedger;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorReceipt;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EventHash;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.opsapi.ProofRoutes;
import org.bouncycastle.crypto.digests.KeccakDigest;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * The ops dashboard end to end in a real browser: Debian's {@code chromium} headless, driven through Debian's
 * {@code chromium-driver} with Selenium. Through the real local pipeline: the sample plan (Chilled-Biologics, 2-8 °C)
 * for the golden reefer trip's shipment, then six hours of the trip's readings as a ColdChainCo probe reports them,
 * among them the 40-minute unit failure at hour 33; the pipeline breaches the shipment, puts it on hold and opens an
 * incident. The ops API is served as {@code ./waybill stack} serves it (gateway, JWT authorizer, the Lambda handler).
 * In the page: a read-only token cannot acknowledge (the 403 problem's title is shown); a write token finds the held
 * shipment, sees the unit failure as the one excursion on its probe's plot with the breach marked where the
 * decision's time-out-of-range budget was exceeded, and acknowledges the incident, whose row then says ACKNOWLEDGED.
 * <p>
 * Expected values come from the trace's definition ({@link GoldenTraces}: the failure from 2026-03-03T09:00Z for
 * 40 min, ~10 °C) and the band, written out below, not from the code under test. Screenshots:
 * {@code target/screenshots/}. Without chromium or chromedriver (paths overridable with the system properties
 * {@code waybill.chromium} and {@code waybill.chromedriver}) the test is skipped with the reason, never passed;
 * {@code .ci/run} installs both where it can.
 */
@Timeout(240)
class DashboardInBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("waybill.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("waybill.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PIPELINE_WAIT = Duration.ofSeconds(90);
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final String SSCC = GoldenTraces.SHIPMENT_SSCC;
    /** The probe that reports the trip (a ColdChainCo logger). */
    private static final String PROBE_DEVICE = "CC-0007";
    /** Hours 30 to 36 of the trip (TRIP_START 2026-03-02T00:00Z): a defrost in the band, then the unit failure. */
    private static final Instant FROM = Instant.parse("2026-03-03T06:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-03T12:00:00Z");
    /** The unit failure: TRIP_START + 33 h, for 40 min, with a one-minute ramp each side. */
    private static final Instant FAILURE_FROM = Instant.parse("2026-03-03T09:00:00Z");
    private static final Instant FAILURE_END = Instant.parse("2026-03-03T09:40:00Z");

    @TempDir
    static Path home;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static OpsApiGateway api;
    private static LocalJwtAuthority authority;
    private static String incidentId;
    /** The proofs table of the Verify test: filled by the test (the anchoring function is not part of this stack). */
    private static final Map<String, EventProof> PROOFS = new java.util.concurrent.ConcurrentHashMap<>();
    /** The chain of the Verify test: its registry's roots and their blocks, its receipts, its latest block. */
    private static final Map<String, Long> REGISTRY = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, AnchorChain.Inclusion> RECEIPTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long LATEST_BLOCK = 9;
    /** Why the browser cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        // the reason goes on the test method, so the report counts it as skipped (an aborted @BeforeAll counts 0)
        missing = !Files.isExecutable(CHROMIUM) ? "no browser: " + CHROMIUM
                + " is missing (apt-get install chromium chromium-driver; .ci/run does it as root)"
                : !Files.isExecutable(CHROMEDRIVER) ? "no driver: " + CHROMEDRIVER
                + " is missing (apt-get install chromium-driver)" : null;
        if (missing != null) {
            return;
        }
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("dash" + Long.toHexString(System.nanoTime())))
                .shards(1).coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(), null).deploy();
        publishTheTrip();
        incidentId = awaitTheIncident();
        DynamoDbEventLedger events = new DynamoDbEventLedger(DynamoDbEnhancedClient.builder()
                .dynamoDbClient(stack.clients().dynamoDb()).build(), pipeline.names().eventsTable(),
                java.time.Clock.systemUTC());
        api = LocalOpsApi.serve(pipeline, home, 0, new ProofRoutes(new EventProofs() {
            @Override
            public void putAll(List<EventProof> proofs) {
                proofs.forEach(p -> PROOFS.put(p.eventId(), p));
            }

            @Override
            public java.util.Optional<EventProof> find(String eventId) {
                return java.util.Optional.ofNullable(PROOFS.get(eventId));
            }
        }, events, DashboardInBrowserTest::chainModel));
        authority = LocalJwtAuthority.openOrCreate(LocalJwtAuthority.folder(home));
    }

    /**
     * The shipment's plan (the sample plan of {@code events-samples}, moved to the trip's dates and naming the probe),
     * then hours 30 to 36 of the golden trip's readings as a ColdChainCo probe reports them, one message a reading.
     */
    private static void publishTheTrip() throws IOException {
        ObjectNode plan;
        try (InputStream in = DashboardInBrowserTest.class.getClassLoader()
                .getResourceAsStream("samples/raw/waybill-plan/planned.json")) {
            plan = (ObjectNode) CanonicalEventJson.MAPPER.readTree(in);
        }
        plan.put("sscc", "(00)" + SSCC);
        plan.put("issuedAt", "2026-03-02T00:00:00Z");
        plan.put("plannedDeparture", "2026-03-02T00:00:00Z");
        plan.put("plannedArrival", "2026-03-04T00:00:00Z");
        plan.putArray("monitoringDevices").add(PROBE_DEVICE);
        plan.put("wb_received_ms", Instant.parse("2026-03-02T00:00:01Z").toEpochMilli());
        pipeline.publish(List.of(plan.toString().getBytes(StandardCharsets.UTF_8)), List.of("plan-" + SSCC));

        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        int n = 0;
        for (TemperatureReading r : GoldenTraces.reeferTrip().readings()) {
            if (r.at().isBefore(FROM) || !r.at().isBefore(TO)) {
                continue;
            }
            ObjectNode m = CanonicalEventJson.MAPPER.createObjectNode();
            m.put("wb_route", "coldchainco/" + PROBE_DEVICE);
            m.put("wb_received_ms", r.at().toEpochMilli() + 900);
            m.put("msgId", "dash-" + n++);
            m.putObject("device").put("id", PROBE_DEVICE).put("fw", "2.1.4");
            m.putObject("shipment").put("sscc", SSCC);
            m.putObject("reading").put("at", r.at().toEpochMilli()).put("celsius", r.celsius());
            payloads.add(m.toString().getBytes(StandardCharsets.UTF_8));
            keys.add(PROBE_DEVICE);
        }
        pipeline.publish(payloads, keys);
    }

    private static String awaitTheIncident() throws InterruptedException {
        long deadline = System.nanoTime() + PIPELINE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, AttributeValue>> incidents = pipeline.clients().dynamoDb()
                    .scan(b -> b.tableName(pipeline.names().incidentsTable())).items();
            if (!incidents.isEmpty() && pipeline.awaitIdle(Duration.ofSeconds(2))
                    && pipeline.coldChainMapping().awaitIdle(Duration.ofSeconds(2))) {
                assertThat(incidents).hasSize(1);
                return incidents.get(0).get("incidentId").s();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the pipeline opened no incident for the golden trip within " + PIPELINE_WAIT);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static WebDriver browser() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("webdriver.remote.enableTracing", "false");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,2200");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void signIn(WebDriver driver, WebDriverWait wait, String token) {
        driver.get(api.uri() + "/dashboard");
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("board")));
    }

    private static By incidentRow() {
        return By.cssSelector("#incidents tr[data-incident-id='" + incidentId + "']");
    }

    /**
     * When the shipment breached, derived from the readings published and the plan's class, Chilled-Biologics 2-8
     * (band 2 to 8 °C; 30 min cumulative out of range allowed, exactly 30 min is no breach; above 15 °C or below 0 °C
     * critical; MKT above 8 °C major). The readings come every 30 s and a reading holds until the next one. From 06:00
     * every reading is in the band until the first one above 8 °C, t1 (09:00:30 or 09:01, in the failure's ramp);
     * from t1 every reading is above 8 °C for the 40-minute failure. After the reading at t1 + k x 30 s the time out
     * of range is k x 30 s: k = 60 gives 30 min (not a breach), k = 61 gives 30 min 30 s, so the breach is the reading
     * at t1 + 61 x 30 s = t1 + 30 min 30 s, about 09:31. Nothing breaches earlier: the peak (~11 °C) is below 15 °C,
     * nothing is below 2 °C, and the MKT of the readings up to then (ΔH/R = 10,000 K, worked out below) is below
     * 8 °C. The conditions are checked on the readings, so a change to the golden trace fails here, not silently.
     */
    private static Instant expectedBreach() {
        List<TemperatureReading> window = GoldenTraces.reeferTrip().readings().stream()
                .filter(r -> !r.at().isBefore(FROM) && r.at().isBefore(TO)).toList();
        int first = 0;
        while (window.get(first).celsius() <= 8.0) {
            assertThat(window.get(first).celsius()).as("in the band before the failure").isGreaterThanOrEqualTo(2.0);
            first++;
        }
        Instant t1 = window.get(first).at();
        assertThat(t1).isBetween(FAILURE_FROM.plusSeconds(30), FAILURE_FROM.plusSeconds(60));
        int breach = first + 61;
        for (int i = first; i <= breach; i++) {
            assertThat(Duration.between(window.get(i - 1).at(), window.get(i).at())).isEqualTo(Duration.ofSeconds(30));
            assertThat(window.get(i).celsius()).as("above the band through the budget").isGreaterThan(8.0)
                    .isLessThanOrEqualTo(15.0);
        }
        // MKT[K] = (ΔH/R) / -ln(Σ w·exp(-(ΔH/R)/T) / Σ w), T = °C + 273.15, each reading weighted by the 30 s to the next
        double sum = 0;
        for (int i = 0; i < breach; i++) {
            sum += Math.exp(-10_000.0 / (window.get(i).celsius() + 273.15));
        }
        double mkt = 10_000.0 / -Math.log(sum / breach) - 273.15;
        assertThat(mkt).isLessThan(8.0);
        return t1.plus(Duration.ofSeconds(61 * 30));
    }

    @Test
    void anOperatorFindsTheBreachedShipmentSeesItsExcursionAndAcknowledgesTheIncident() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        WebDriver driver = browser();
        try {
            WebDriverWait wait = new WebDriverWait(driver, PAGE_WAIT);

            // a read-only token: the incident is listed, acknowledging it is refused with the 403 problem's title
            signIn(driver, wait, authority.issue("ravi", false, Duration.ofMinutes(10), Instant.now()));
            assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("ravi (read only)");
            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(incidentRow()));
            assertThat(row.getAttribute("data-status")).isEqualTo("OPEN");
            row.findElement(By.cssSelector("button.acknowledge")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "refused"));
            assertThat(driver.findElement(By.id("message")).getText())
                    .isEqualTo("acknowledge refused: Forbidden: this route needs the scope ops.write");
            assertThat(driver.findElement(incidentRow()).getAttribute("data-status")).isEqualTo("OPEN");
            screenshot(driver, "dashboard-read-only-refused");
            driver.findElement(By.id("sign-out")).click();

            // a write token
            signIn(driver, wait, authority.issue("dana", true, Duration.ofMinutes(10), Instant.now()));
            assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("dana (read and write)");

            // the breached shipment is listed on hold; selecting it draws its probe with the unit failure
            WebElement shipment = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#shipments tr[data-sscc='" + SSCC + "']")));
            assertThat(shipment.findElement(By.cssSelector("td.hold-on")).getText()).isEqualTo("ON HOLD");
            // its one incident is open (acknowledged below): the list counts it
            assertThat(shipment.findElement(By.cssSelector("td.open-incidents")).getText()).isEqualTo("1");
            shipment.click();
            WebElement chart = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#plots .chart[data-drawn-excursions]")));
            screenshot(driver, "dashboard-breached-shipment");
            assertThat(chart.getAttribute("data-probe")).contains(PROBE_DEVICE);
            assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
            // 6 h of readings every 30 s: 720 points
            assertThat(chart.getAttribute("data-points")).isEqualTo("720");
            // the plan's class, Chilled-Biologics 2-8 °C: one excursion, the unit failure (the defrost at hour 30
            // peaks near 5 + 0.2 + 1.5 + 0.3 = 7.0 °C, inside). It starts during the one-minute ramp from 09:00 (the
            // reading at 09:00:30 is ~7.5 °C, at 09:01 ~10 °C) and its last reading above 8 °C is at 09:40 or 09:40:30
            // (the ramp down ends at 09:41); its peak is 10 + 0.7 (the swing) +- 0.3 (noise): 10.4 to 11.0 °C.
            assertThat(chart.getAttribute("data-excursions")).isEqualTo("1");
            assertThat(chart.getAttribute("data-drawn-excursions")).isEqualTo("1");
            WebElement excursion = driver.findElement(By.cssSelector("#plots li.excursion"));
            assertThat(excursion.getAttribute("class")).contains("excursion-ABOVE");
            assertThat(Instant.parse(excursion.getAttribute("data-from")))
                    .isBetween(FAILURE_FROM.plusSeconds(30), FAILURE_FROM.plusSeconds(60));
            assertThat(Instant.parse(excursion.getAttribute("data-to")))
                    .isBetween(FAILURE_END, FAILURE_END.plusSeconds(30));
            double peak = Double.parseDouble(excursion.getText().replaceAll(".*peak ([0-9.]+) °C.*", "$1"));
            assertThat(peak).isBetween(10.4, 11.0);
            // the breach is marked on the plot at the moment the decision's budget was exceeded, on the readings' time
            // line (not the decision's processing time, not the incident's evidence time)
            assertThat(chart.getAttribute("data-drawn-breach")).isEqualTo("true");
            Instant breachAt = Instant.parse(driver.findElement(By.id("plots")).getAttribute("data-breach-at"));
            assertThat(breachAt).isEqualTo(expectedBreach());
            // (the decision's own breachSince is processing time, the wall clock when the pipeline decided, months after
            // these readings; the incident's evidence time is the last reading of the batch it was decided on)

            // acknowledge: the row shows the new status, and the ledger records the token's user
            driver.findElement(incidentRow()).findElement(By.cssSelector("button.acknowledge")).click();
            wait.until(ExpectedConditions.attributeToBe(incidentRow(), "data-status", "ACKNOWLEDGED"));
            WebElement acknowledged = driver.findElement(incidentRow());
            assertThat(acknowledged.findElement(By.cssSelector("td.status")).getText()).isEqualTo("ACKNOWLEDGED");
            assertThat(acknowledged.findElements(By.cssSelector("button.acknowledge"))).isEmpty();
            assertThat(acknowledged.findElements(By.cssSelector("button.resolve"))).hasSize(1);
            screenshot(driver, "dashboard-acknowledged");
        } finally {
            driver.quit();
        }
        List<String> actors = pipeline.storedEvents().stream()
                .filter(i -> IncidentDesk.SOURCE.equals(i.get("source").s()))
                .map(i -> i.get("eventJson").s()).toList();
        assertThat(actors).singleElement().satisfies(json -> assertThat(json).contains("\"actor\":\"dana\"",
                "\"action\":\"ACKNOWLEDGED\""));
    }

    /** The chain as the proof check asks it: the registry, the receipts, the latest block; nothing else is used. */
    private static AnchorChain chainModel() {
        return (AnchorChain) java.lang.reflect.Proxy.newProxyInstance(AnchorChain.class.getClassLoader(),
                new Class<?>[] {AnchorChain.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "anchoredAt" -> {
                        Long b = REGISTRY.get((String) args[0]);
                        yield b == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(b);
                    }
                    case "inclusion" -> java.util.Optional.ofNullable(RECEIPTS.get((String) args[0]));
                    case "blockNumber" -> LATEST_BLOCK;
                    case "toString" -> "chain model";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] keccak(byte[] in) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Test
    void anOperatorVerifiesAnEventOnceItIsAnchored() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        WebDriver driver = browser();
        try {
            WebDriverWait wait = new WebDriverWait(driver, PAGE_WAIT);
            signIn(driver, wait, authority.issue("ravi", false, Duration.ofMinutes(10), Instant.now()));
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#shipments tr[data-sscc='" + SSCC + "']"))).click();
            // the shipment's events besides its readings: the plan at least
            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#events tbody tr[data-event-id]")));
            String eventId = row.getAttribute("data-event-id");
            String source = row.getAttribute("data-source");
            By result = By.cssSelector("#events tbody tr[data-event-id='" + eventId + "'] td.proof");

            // no proof yet: the API's 404 not-anchored, shown as such
            row.findElement(By.cssSelector("button.verify")).click();
            wait.until(ExpectedConditions.attributeToBe(result, "data-verified", "not-anchored"));
            assertThat(driver.findElement(result).getText()).isEqualTo("Not anchored yet (or not selected for anchoring).");

            // anchored alone in a batch: the root of a one-leaf tree is the leaf, keccak256(keccak256(hash)), and the
            // proof is empty; the registry holds the root from block 7, the transaction is in block 7 and the chain
            // is at block 9: blocks 7, 8 and 9, 3 confirmations
            String stored = new DynamoDbEventLedger(DynamoDbEnhancedClient.builder()
                    .dynamoDbClient(stack.clients().dynamoDb()).build(), pipeline.names().eventsTable(),
                    java.time.Clock.systemUTC()).storedJson(source + "#" + eventId).orElseThrow();
            String hash = EventHash.of((ObjectNode) CanonicalEventJson.MAPPER.readTree(stored)).hex();
            String root = "0x" + java.util.HexFormat.of().formatHex(keccak(keccak(
                    java.util.HexFormat.of().parseHex(hash))));
            String tx = "0x" + "ab".repeat(32);
            PROOFS.put(eventId, new EventProof(eventId, hash, root, List.of(), new AnchorReceipt(31337,
                    EthereumAddress.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3"), tx, 7)));
            REGISTRY.put(root, 7L);
            RECEIPTS.put(tx, new AnchorChain.Inclusion(tx, 7, "0x" + "cd".repeat(32), true, 48_700));

            driver.findElement(By.cssSelector("#events tbody tr[data-event-id='" + eventId + "'] button.verify")).click();
            wait.until(ExpectedConditions.attributeToBe(result, "data-verified", "true"));
            screenshot(driver, "dashboard-verified-event");
            assertThat(driver.findElement(result).getText()).isEqualTo("Verified: root " + root.substring(0, 10) + "…"
                    + root.substring(root.length() - 6) + ", tx 0xabababab…ababab, block 7 (chain 31337), "
                    + "3 confirmations");
        } finally {
            driver.quit();
        }
    }
}
