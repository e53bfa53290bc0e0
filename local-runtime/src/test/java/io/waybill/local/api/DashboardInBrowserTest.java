package io.waybill.local.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops dashboard end to end in a real browser: Debian's {@code chromium} headless, driven through Debian's
 * {@code chromium-driver} with Selenium. The golden reefer trip (a 40-minute unit failure at hour 33, above the 2-8 °C
 * band) goes through the real local pipeline, which breaches the shipment, puts it on hold and opens an incident; the
 * ops API is served as {@code ./waybill stack} serves it (gateway, JWT authorizer, the Lambda handler). In the page: a
 * read-only token cannot acknowledge (the 403 problem's title is shown), a write token finds the held shipment, sees
 * the unit failure as an excursion on its probe's plot with the breach marked, and acknowledges the incident.
 * <p>
 * Expected values come from the trace's definition ({@link GoldenTraces}: failure at 2026-03-03T09:00Z for 40 min,
 * above the band), not from the code under test. Screenshots: {@code target/screenshots/}. Without chromium or
 * chromedriver the test is skipped with the reason (never passed); {@code .ci/run} installs both where it can.
 */
@Timeout(240)
class DashboardInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PIPELINE_WAIT = Duration.ofSeconds(90);
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    /** The unit failure: TRIP_START (2026-03-02T00:00Z) + 33 h, for 40 min (plus a one-minute ramp each side). */
    private static final Instant FAILURE_FROM = Instant.parse("2026-03-03T09:00:00Z");
    private static final Instant FAILURE_TO = Instant.parse("2026-03-03T09:41:00Z");

    @TempDir
    static Path home;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static OpsApiGateway api;
    private static LocalJwtAuthority authority;
    private static String incidentId;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no browser: " + CHROMIUM
                + " is missing (apt-get install chromium chromium-driver; .ci/run does it as root)");
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER), "no driver: " + CHROMEDRIVER
                + " is missing (apt-get install chromium-driver)");
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("dash" + Long.toHexString(System.nanoTime())))
                .shards(1).coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(), null).deploy();
        publishTheGoldenTrip();
        incidentId = awaitTheIncident();
        api = LocalOpsApi.serve(pipeline, home, 0);
        authority = LocalJwtAuthority.openOrCreate(LocalJwtAuthority.folder(home));
    }

    /** The reefer trip's edge messages, as the IoT rule hands them to the stream. */
    private static void publishTheGoldenTrip() throws IOException {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        ReeferEdgeModel model = new ReeferEdgeModel(trip.reeferConfig().build());
        List<EdgeMessage> messages = new ArrayList<>(model.acceptAll(trip.readings()));
        messages.addAll(model.flush());
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EdgeMessage m : messages) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(m));
            n.put("wb_route", "waybill-edge/" + trip.deviceId());
            n.put("wb_received_ms", m.deviceTime().toEpochMilli() + 350);
            payloads.add(n.toString().getBytes(StandardCharsets.UTF_8));
            keys.add(trip.deviceId());
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

    @Test
    void anOperatorFindsTheBreachedShipmentSeesItsExcursionAndAcknowledgesTheIncident() throws Exception {
        String sscc = GoldenTraces.SHIPMENT_SSCC;
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
                    By.cssSelector("#shipments tr[data-sscc='" + sscc + "']")));
            assertThat(shipment.findElement(By.cssSelector("td.hold-on")).getText()).isEqualTo("ON HOLD");
            shipment.click();
            WebElement chart = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#plots .chart[data-drawn-excursions]")));
            assertThat(chart.getAttribute("data-probe")).isEqualTo(GoldenTraces.REEFER_SENSOR_ID);
            assertThat(Integer.parseInt(chart.getAttribute("data-drawn-excursions"))).isPositive();
            assertThat(chart.getAttribute("data-drawn-breach")).isEqualTo("true");
            assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
            // one excursion listed under the plot is the unit failure: above the band, overlapping 09:00-09:41
            List<WebElement> above = driver.findElements(By.cssSelector("#plots li.excursion-ABOVE"));
            assertThat(above).anySatisfy(li -> {
                Instant from = Instant.parse(li.getAttribute("data-from"));
                Instant to = Instant.parse(li.getAttribute("data-to"));
                assertThat(from).isBefore(FAILURE_TO);
                assertThat(to).isAfter(FAILURE_FROM);
                assertThat(li.getText()).startsWith("ABOVE the band");
            });
            Instant breachAt = Instant.parse(driver.findElement(By.id("plots")).getAttribute("data-breach-at"));
            assertThat(breachAt).isBetween(FAILURE_FROM, FAILURE_TO);
            screenshot(driver, "dashboard-breached-shipment");

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
}
