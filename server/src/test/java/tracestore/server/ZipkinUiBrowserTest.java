package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Zipkin's own UI (the zipkin-lens assets served at {@code /zipkin/}) against our query API, in
 * headless Chromium: a trace ingested over OTLP/HTTP is found by service and by tag (customer.tier, which
 * the default index policy leaves out, so the server finds it by verification), opened, and
 * its span names are on the page. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them); under {@code CI=true} a missing browser fails the test.
 */
class ZipkinUiBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;
  private TracestoreServer server;
  private WebDriver browser;
  private ServerConfig config;

  @BeforeEach
  void start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)";
      if ("true".equals(System.getenv("CI"))) throw new AssertionError(why);
      Assumptions.abort(why);
    }
    config = ServerConfig.newBuilder()
        .set(Setting.SQLITE_PATH, dir.resolve("ui.db").toString())
        .set(Setting.BIND_ADDRESS, "127.0.0.1")
        .set(Setting.OTLP_GRPC_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.OTLP_HTTP_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()))
        .build();
    server = Wiring.start(config);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) browser.quit();
    } finally {
      if (server != null) server.close();
    }
  }

  @Test
  void zipkinUiFindsAnOtlpTraceByServiceAndTagAndShowsItsSpans() throws Exception {
    String traceId = ServerTest.hex(32);
    String rootId = ServerTest.hex(16);
    long start = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    String otlp = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"lens-shop\"}}]},\"scopeSpans\":[{\"spans\":["
        + span(traceId, rootId, null, "GET /lens-checkout", 2, start, 120, "customer.tier", "platinum")
        + "," + span(traceId, ServerTest.hex(16), rootId, "charge-lens-card", 3, start + 10_000_000L, 80, "db", "x")
        + "]}]}]}";
    HttpResponse<String> posted = TestHttp.post("http://127.0.0.1:" + config.otlpHttpPort() + "/v1/traces",
        "application/json", otlp.getBytes(StandardCharsets.UTF_8));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

    String ui = "http://127.0.0.1:" + config.zipkinPort() + "/zipkin/";
    // By service: Zipkin's UI takes the criteria from the URL, the search runs on "Run Query".
    browser.get(ui + "?serviceName=lens-shop");
    runQuery();
    WebElement link = waitForTraceLink(traceId);
    assertThat(pageText()).contains("1 Result").contains("lens-shop");

    // By tag, and a tag value that must not match.
    browser.get(ui + "?serviceName=lens-shop&annotationQuery=customer.tier%3Dgold");
    runQuery();
    // The UI writes the executed query into the URL; then give it time to render any (wrong) hit.
    wait30().until(d -> d.getCurrentUrl().contains("endTs="));
    Thread.sleep(2000);
    assertThat(browser.findElements(By.cssSelector("a[href*='/zipkin/traces/" + traceId + "']"))).isEmpty();
    browser.get(ui + "?serviceName=lens-shop&annotationQuery=customer.tier%3Dplatinum");
    runQuery();
    link = waitForTraceLink(traceId);

    // Open it: the trace page lists both spans by name.
    link.click();
    wait30().until(d -> d.getCurrentUrl().contains("/zipkin/traces/" + traceId)
        && pageText().toLowerCase(Locale.ROOT).contains("charge-lens-card"));
    String trace = pageText().toLowerCase(Locale.ROOT);
    assertThat(trace).contains("get /lens-checkout", "charge-lens-card", "lens-shop");
  }

  private WebElement waitForTraceLink(String traceId) {
    return wait30().until(d -> {
      List<WebElement> links = d.findElements(By.cssSelector("a[href*='/zipkin/traces/" + traceId + "']"));
      return links.isEmpty() ? null : links.get(0);
    });
  }

  private org.openqa.selenium.support.ui.FluentWait<WebDriver> wait30() {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .withMessage(() -> "at " + browser.getCurrentUrl() + " the page shows: " + pageText());
  }

  private String pageText() {
    return browser.findElement(By.tagName("body")).getText();
  }

  private void runQuery() {
    org.openqa.selenium.support.ui.FluentWait<WebDriver> wait = wait30();
    WebElement button = wait.until(d -> {
      List<WebElement> found = d.findElements(By.xpath("//button[contains(., 'Run Query')]"));
      return found.isEmpty() ? null : found.get(0);
    });
    button.click();
  }

  private static String span(String traceId, String spanId, String parentId, String name, int kind,
      long startNanos, long millis, String tagKey, String tagValue) {
    return "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\""
        + (parentId == null ? "" : ",\"parentSpanId\":\"" + parentId + "\"")
        + ",\"name\":\"" + name + "\",\"kind\":" + kind
        + ",\"startTimeUnixNano\":\"" + startNanos + "\",\"endTimeUnixNano\":\"" + (startNanos + millis * 1_000_000L) + "\""
        + ",\"attributes\":[{\"key\":\"" + tagKey + "\",\"value\":{\"stringValue\":\"" + tagValue + "\"}}]}";
  }

}
