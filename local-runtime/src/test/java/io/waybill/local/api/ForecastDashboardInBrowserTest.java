package io.waybill.local.api;

import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.OnDemandForecast;
import io.waybill.domain.forecast.ReorderRecommendation;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import io.waybill.opsapi.ForecastRoutes;
import io.waybill.opsapi.OpsApiFunction;
import io.waybill.opsapi.OpsApiHandler;
import io.waybill.opsapi.OpsApiSettings;
import io.waybill.opsapi.OpsApiStores;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's Forecasts view in headless Chromium (as {@link DashboardInBrowserTest}, skipped with the reason when
 * chromium or chromedriver is missing), served by the ops API with its forecast routes over a read model written here
 * (one series: 28 days of history, a 14-day forecast with hand-chosen quantiles) and no emulators: the other panels
 * answer errors, which the page shows in their place. A reader picks the series and sees the history, the mean and
 * the shaded 10-90 % band on a canvas, the reorder point and safety stock, and no Forecast now button; a writer's
 * Forecast now posts to the API (the forecaster below records the call) and the page says the forecast was stored.
 */
@Timeout(120)
class ForecastDashboardInBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("waybill.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("waybill.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final SeriesKey SERIES = new SeriesKey("10614141000019", "0614141000005");
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    /** What the forecaster was asked: series id and day. */
    private static final List<String> ASKED = new CopyOnWriteArrayList<>();

    @TempDir
    static Path home;
    private static OpsApiGateway api;
    private static LocalJwtAuthority authority;
    private static String missing;

    @BeforeAll
    static void start() throws Exception {
        missing = !Files.isExecutable(CHROMIUM) ? "no browser: " + CHROMIUM + " is missing"
                : !Files.isExecutable(CHROMEDRIVER) ? "no driver: " + CHROMEDRIVER + " is missing" : null;
        if (missing != null) {
            return;
        }
        // no DynamoDB behind this client: only the forecast, health and dashboard routes answer
        DynamoDbClient nowhere = DynamoDbClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
        OpsApiSettings settings = new OpsApiSettings("events", "shipments", "incidents", null, "local", "us-east-1",
                URI.create("http://127.0.0.1:9"), null, null);
        OpsApiHandler handler = new OpsApiHandler(OpsApiFunction.create(settings, OpsApiStores.none(), nowhere, null,
                        Clock.systemUTC(), List.of(new ForecastRoutes(new OneSeries(), (key, asOf) -> {
                            ASKED.add(key.id() + " " + asOf);
                            return Optional.of(forecast(asOf));
                        })))
                .requiringWriterGroup(LocalJwtAuthority.WRITER_GROUP));
        authority = LocalJwtAuthority.openOrCreate(LocalJwtAuthority.folder(home));
        api = OpsApiGateway.start(0, handler, new JwtAuthorizer(authority.publicKeys(),
                JwtAuthorizer.Config.local()), OpenApiRouteAuthorization.opsApi());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** 14 days from {@code firstDay}: mean 12, quantiles 0.1 = 6, 0.5 = 12, 0.9 = 18 every day. */
    static StoredForecast forecast(LocalDate firstDay) {
        double[] mean = new double[14];
        java.util.Arrays.fill(mean, 12);
        TreeMap<String, double[]> q = new TreeMap<>();
        for (String[] level : new String[][] {{"0.1", "6"}, {"0.5", "12"}, {"0.9", "18"}}) {
            double[] v = new double[14];
            java.util.Arrays.fill(v, Double.parseDouble(level[1]));
            q.put(level[0], v);
        }
        return new StoredForecast(SERIES, firstDay, Instant.now(), "waybill-demand", "1", "ETS(A,N,A)", mean, q,
                new ReorderRecommendation(0.95, 3, 36, 47.5, 11.5, "samples"), 3.0, 28);
    }

    /** One series: demand 10 + (day of the last 28 mod 7) before today, a forecast from today. */
    static final class OneSeries implements ForecastReadModel {
        @Override
        public List<SeriesKey> series(String locationGln, String afterId, int limit) {
            boolean in = (locationGln == null || locationGln.equals(SERIES.locationGln()))
                    && (afterId == null || SERIES.id().compareTo(afterId) > 0);
            return in ? List.of(SERIES) : List.of();
        }

        @Override
        public DemandHistory history(SeriesKey key, LocalDate from, LocalDate toInclusive) {
            int n = (int) (toInclusive.toEpochDay() - from.toEpochDay() + 1);
            double[] units = new double[n];
            for (int i = 0; i < n; i++) {
                long back = TODAY.toEpochDay() - from.plusDays(i).toEpochDay();
                units[i] = back <= 28 ? 10 + back % 7 : 0;
            }
            return new DemandHistory(key, from, units);
        }

        @Override
        public Optional<StoredForecast> latest(SeriesKey key) {
            return Optional.of(forecast(TODAY));
        }

        @Override
        public List<ForecastAccuracy> accuracy(SeriesKey key, int limit) {
            return List.of(new ForecastAccuracy(key, TODAY.minusDays(28), 14, 0.8, -0.5));
        }
    }

    private static WebDriver browser() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,2200");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    private static void signIn(WebDriver driver, WebDriverWait wait, String token) {
        driver.get(api.uri() + "/dashboard");
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("board")));
    }

    private static WebElement pickTheSeries(WebDriver driver, WebDriverWait wait) {
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#forecasts tr[data-series-id='" + SERIES.id() + "']")));
        assertThat(row.findElement(By.cssSelector("td.reorder-point")).getText()).isEqualTo("47.5");
        row.click();
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#forecast-plot canvas")));
    }

    @Test
    void aReaderSeesHistoryMeanAndBandAndAWriterForecastsNow() throws Exception {
        Assumptions.assumeTrue(missing == null, missing);
        WebDriver driver = browser();
        try {
            WebDriverWait wait = new WebDriverWait(driver, PAGE_WAIT);
            signIn(driver, wait, authority.issue("ravi", false, Duration.ofMinutes(10), Instant.now()));
            pickTheSeries(driver, wait);
            WebElement plot = driver.findElement(By.id("forecast-plot"));
            wait.until(d -> plot.getAttribute("data-band-pixel") != null);
            assertThat(plot.getAttribute("data-history-days")).isEqualTo("90"); // the route's default
            assertThat(plot.getAttribute("data-forecast-days")).isEqualTo("14");
            assertThat(plot.getAttribute("data-band")).isEqualTo("0.1-0.9");
            // rgba(31, 95, 191, 0.16) over white: about (220, 228, 245); white would be 255,255,255 or transparent
            String[] rgba = plot.getAttribute("data-band-pixel").split(",");
            int r = Integer.parseInt(rgba[0]);
            int b = Integer.parseInt(rgba[2]);
            int a = Integer.parseInt(rgba[3]);
            assertThat(a).as("the band is painted").isGreaterThan(0);
            assertThat(b).as("bluish: " + String.join(",", rgba)).isGreaterThan(r);
            assertThat(driver.findElement(By.id("forecast-summary")).getText())
                    .contains("reorder point 47.5 units, safety stock 11.5 units over a 3-day lead time at 95 % "
                            + "service level");
            assertThat(driver.findElement(By.id("forecast-now")).isDisplayed()).as("hidden from a reader").isFalse();
            shot(driver, "forecast-reader");
            driver.findElement(By.id("sign-out")).click();

            signIn(driver, wait, authority.issue("dana", true, Duration.ofMinutes(10), Instant.now()));
            pickTheSeries(driver, wait);
            WebElement now = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("forecast-now")));
            now.click();
            wait.until(ExpectedConditions.attributeToBe(By.id("forecast-outcome"), "data-outcome", "stored"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("forecast-outcome"), "stored"));
            assertThat(driver.findElement(By.id("forecast-outcome")).getText())
                    .isEqualTo("Forecast from " + TODAY + " stored.");
            assertThat(ASKED).containsExactly(SERIES.id() + " " + TODAY);
            shot(driver, "forecast-writer");
        } finally {
            driver.quit();
        }
    }

    private static void shot(WebDriver driver, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
