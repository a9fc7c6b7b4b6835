package io.warrenmq.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warrenmq.client.BasicProperties;
import io.warrenmq.client.GetResponse;
import io.warrenmq.client.QueueSpec;
import io.warrenmq.engine.Broker;
import io.warrenmq.engine.BrokerConfig;
import io.warrenmq.engine.Channel;
import io.warrenmq.engine.Connection;
import io.warrenmq.engine.QueueInfo;
import io.warrenmq.store.jdbc.Definitions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}), driven by Selenium, against a real broker whose queues the test fills through
 * the engine: login (and a wrong password), a queue filling up on the queues page, purge, move,
 * re-drive of a dead-letter queue, publishing from the exchanges page, closing a connection, and
 * the other pages. Screenshots of each page go to {@code target/console-screenshots/}.
 *
 * <p>Without the browser or its driver the tests are skipped, saying so; with {@code
 * WARRENMQ_REQUIRE_BROWSER=true} (set by {@code .ci/run}) they fail instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebConsoleTest {
  /**
   * Debian's paths; {@code -Dwarrenmq.test.chromium=...}, {@code ...chromedriver=...} for others.
   */
  private static final Path CHROMIUM =
      Path.of(System.getProperty("warrenmq.test.chromium", "/usr/bin/chromium"));

  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("warrenmq.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Path DOWNLOADS = Path.of("target", "console-downloads").toAbsolutePath();

  static Broker broker;
  static ManagementServer management;
  static ChromeDriver driver;
  static String base;
  static Connection engine;
  static Channel channel;

  /** Why the browser tests skip (no browser or driver), or null. */
  static String missing;

  @BeforeAll
  static void start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String message =
          "WebConsoleTest: "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing (apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("WARRENMQ_REQUIRE_BROWSER"))) {
        throw new IllegalStateException(message + ", and WARRENMQ_REQUIRE_BROWSER=true");
      }
      System.err.println(message + ": the browser tests are SKIPPED");
      missing = message; // each test is then reported skipped with this reason
      return;
    }
    Files.createDirectories(SHOTS);
    Files.createDirectories(DOWNLOADS);
    broker = new Broker(BrokerConfig.named("web-console"));
    management =
        ManagementServer.start(
            broker,
            ManagementConfig.of("127.0.0.1", 0)
                .withDefinitions(Definitions::export, Definitions::importInto));
    base = "http://127.0.0.1:" + management.port();
    engine = broker.newConnection("/", "guest", "guest");
    channel = engine.createChannel();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1360,900",
        "--lang=en-US",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync");
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            DOWNLOADS.toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (engine != null) {
      engine.close();
    }
    if (management != null) {
      management.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void loggedOut() {
    Assumptions.assumeTrue(missing == null, missing);
    driver.get(base + "/");
    driver.executeScript("sessionStorage.clear()");
    driver.navigate().refresh(); // a new page: no timer or state of the previous test's login
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
  }

  /** Waits up to 10 s; the pages redraw their tables on every refresh (2 s), hence the stale. */
  private static FluentWait<WebDriver> waitFor() {
    return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class);
  }

  /** Clicks an element that a refresh may replace between finding and clicking it. */
  private static void click(By where) {
    waitFor()
        .until(
            d -> {
              d.findElement(where).click();
              return true;
            });
  }

  private static void login(String user, String password) {
    driver.findElement(By.id("login-user")).sendKeys(user);
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
  }

  private static void loginAsGuest() {
    login("guest", "guest");
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
  }

  private static void open(String hash) {
    driver.get(base + "/" + hash);
  }

  private static void screenshot(String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void declare(String name, Map<String, Object> arguments) {
    channel.queueDeclare(new QueueSpec(name, true, false, false, arguments));
  }

  private static void publish(String queue, int count) {
    for (int i = 0; i < count; i++) {
      channel.basicPublish(
          "",
          queue,
          false,
          BasicProperties.builder().contentType("text/plain").build(),
          ("message " + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static long ready(String queue) {
    return broker.queue("/", queue).map(QueueInfo::messagesReady).orElse(-1L);
  }

  private static String flash() {
    WebElement f =
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
    return f.getText();
  }

  private static void awaitText(By where, String text) {
    waitFor().until(ExpectedConditions.textToBe(where, text));
  }

  private static By queueCell(String queue, String column) {
    return By.cssSelector("#queues tr[data-name='" + queue + "'] td[data-key='" + column + "']");
  }

  @Test
  void aWrongPasswordShowsAnErrorAndNoConsole() throws IOException {
    login("guest", "not-the-password");
    awaitText(By.id("login-error"), "Login failed: wrong username or password.");
    assertFalse(driver.findElement(By.id("nav")).isDisplayed());
    assertEquals(
        null, driver.executeScript("return sessionStorage.getItem('warrenmq.credentials')"));
    screenshot("login-failed");
  }

  @Test
  void aUserWithoutAManagementTagIsToldSo() {
    broker.users().putUser("app-only", "app-secret", List.of());
    login("app-only", "app-secret");
    awaitText(
        By.id("login-error"),
        "This user may not use the management console (it needs a management tag).");
    assertFalse(driver.findElement(By.id("nav")).isDisplayed());
  }

  @Test
  void theQueuesPageShowsAQueueFillAndPurgeEmptiesIt() throws IOException {
    declare("orders.dlq", Map.of());
    declare(
        "orders", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "orders.dlq"));
    declare("invoices", Map.of());
    declare("payments", Map.of("x-max-priority", 10));
    publish("invoices", 2);
    publish("payments", 3);
    loginAsGuest();
    open("#/queues");
    awaitText(queueCell("orders", "messages_ready"), "0");
    publish("orders", 5);
    awaitText(queueCell("orders", "messages_ready"), "5");
    publish("orders", 7);
    awaitText(queueCell("orders", "messages_ready"), "12");
    awaitText(queueCell("orders", "messages"), "12");

    // filter by name, then sort by Ready descending
    driver.findElement(By.id("queues-filter")).sendKeys("voi");
    waitFor()
        .until(
            ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#queues tbody tr[data-name]"), 1));
    waitFor()
        .until(
            d ->
                "invoices"
                    .equals(
                        d.findElement(By.cssSelector("#queues tbody tr[data-name]"))
                            .getAttribute("data-name")));
    driver.findElement(By.id("queues-filter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    click(By.cssSelector("#queues th[data-key='messages_ready']"));
    click(By.cssSelector("#queues th[data-key='messages_ready']"));
    waitFor()
        .until(
            d ->
                "orders"
                    .equals(
                        d.findElement(By.cssSelector("#queues tbody tr[data-name]"))
                            .getAttribute("data-name")));
    screenshot("queues");

    click(By.linkText("orders"));
    awaitText(By.id("queue-ready"), "12");
    driver.findElement(By.id("purge-button")).click();
    driver.switchTo().alert().accept();
    awaitText(By.id("queue-ready"), "0");
    assertTrue(flash().contains("purged"), flash());
    assertEquals(0, ready("orders"));
    screenshot("queue-detail");
  }

  @Test
  void moveMessagesSendsTheReadyMessagesToTheChosenQueue() {
    declare("move.src", Map.of());
    declare("move.dst", Map.of());
    publish("move.src", 3);
    publish("move.dst", 1);
    loginAsGuest();
    open("#/queues/%2F/move.src");
    awaitText(By.id("queue-ready"), "3");
    new Select(driver.findElement(By.id("move-destination"))).selectByValue("move.dst");
    driver.findElement(By.id("move-button")).click();
    assertEquals("Moved 3 messages to 'move.dst'; 0 left here.", flash());
    awaitText(By.id("queue-ready"), "0");
    assertEquals(0, ready("move.src"));
    assertEquals(4, ready("move.dst"));
  }

  @Test
  void redriveSendsADeadLetterQueuesMessagesBackToTheirSource() throws IOException {
    declare("work.dlq", Map.of());
    declare("work", Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", "work.dlq"));
    declare("stray.dlq", Map.of());
    publish("work", 4);
    for (int i = 0; i < 4; i++) {
      GetResponse r = channel.basicGet("work", false);
      channel.basicNack(r.delivery().deliveryTag(), false, false); // dead-letters it, x-death
    }
    awaitReady("work.dlq", 4);
    assertEquals(0, ready("work"));
    // one message in the DLQ without x-death: it has no origin and stays
    channel.basicPublish("", "work.dlq", false, BasicProperties.EMPTY, new byte[] {1});

    loginAsGuest();
    open("#/queues/%2F/work.dlq");
    awaitText(By.id("queue-ready"), "5");
    screenshot("dlq-before-redrive");
    driver.findElement(By.id("redrive-button")).click();
    assertEquals(
        "Re-drove 4 messages to their source queues; 1 stayed (no x-death origin, or it no longer"
            + " exists).",
        flash());
    awaitText(By.id("queue-ready"), "1");
    assertEquals(4, ready("work"));
    List<?> deaths =
        (List<?>) channel.basicGet("work", true).delivery().properties().headers().get("x-death");
    assertEquals(1, deaths.size(), "the x-death header is kept");
  }

  private static void awaitReady(String queue, long count) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> ready(queue) == count);
  }

  @Test
  void getMessagesShowsThePayload() {
    declare("peek", Map.of());
    publish("peek", 1);
    loginAsGuest();
    open("#/queues/%2F/peek");
    awaitText(By.id("queue-ready"), "1");
    driver.findElement(By.id("get-button")).click();
    WebElement payload =
        waitFor()
            .until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#get-result pre")));
    assertEquals("message 0", payload.getText());
    assertEquals(1, ready("peek"), "the default ack mode requeues");
  }

  @Test
  void theExchangesPagePublishesAMessage() throws IOException {
    declare("published", Map.of());
    loginAsGuest();
    open("#/exchanges");
    waitFor()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#exchanges tr[data-name='amq.topic']")));
    driver.findElement(By.id("publish-routing-key")).sendKeys("published");
    driver.findElement(By.id("publish-payload")).sendKeys("hello from the console");
    driver.findElement(By.id("publish-button")).click();
    assertEquals("Message published.", flash());
    assertEquals(1, ready("published"));
    GetResponse r = channel.basicGet("published", true);
    assertEquals("hello from the console", new String(r.delivery().body(), StandardCharsets.UTF_8));
    screenshot("exchanges");
  }

  @Test
  void theConnectionsPageClosesAConnection() throws IOException {
    Connection victim = broker.newConnection("/", "guest", "guest");
    loginAsGuest();
    open("#/connections");
    By close =
        By.cssSelector("#connections tr[data-name='" + victim.id() + "'] button.close-connection");
    waitFor().until(ExpectedConditions.elementToBeClickable(close));
    screenshot("connections");
    click(close);
    driver.switchTo().alert().accept();
    assertEquals("Connection closed.", flash());
    waitFor().until(ExpectedConditions.numberOfElementsToBe(close, 0));
    assertTrue(
        broker.connections().stream().noneMatch(c -> c.name().equals(victim.id())),
        "the connection is gone from the broker");
  }

  @Test
  void theOverviewUsersAndDefinitionsPagesShowTheBroker() throws IOException {
    loginAsGuest();
    open("#/overview");
    waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("alarm-off")));
    waitFor()
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#overview-rates svg")));
    screenshot("overview");
    open("#/users");
    waitFor()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#users tr[data-name='guest']")));
    assertTrue(
        driver
            .findElement(By.cssSelector("#users tr[data-name='guest']"))
            .getText()
            .contains("administrator"));
    screenshot("users");
    open("#/definitions");
    waitFor().until(ExpectedConditions.elementToBeClickable(By.id("definitions-download")));
    screenshot("definitions");
  }

  @Test
  void theDefinitionsPageDownloadsAndUploadsDefinitions() throws IOException {
    declare("defs.exported", Map.of());
    try (var old = Files.list(DOWNLOADS)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    loginAsGuest();
    open("#/definitions");
    click(By.id("definitions-download"));
    Path downloaded =
        waitFor()
            .until(
                d -> {
                  try (var files = Files.list(DOWNLOADS)) {
                    return files
                        .filter(
                            p ->
                                p.getFileName()
                                    .toString()
                                    .matches("warrenmq-definitions-.*\\.json"))
                        .findFirst()
                        .orElse(null);
                  } catch (IOException e) {
                    return null;
                  }
                });
    waitFor().until(d -> readOrEmpty(downloaded).contains("\"defs.exported\""));

    Path upload = DOWNLOADS.resolve("upload.json");
    Files.writeString(
        upload,
        "{\"queues\":[{\"name\":\"defs.uploaded\",\"vhost\":\"/\",\"durable\":true,"
            + "\"auto_delete\":false,\"arguments\":{}}]}");
    driver.findElement(By.id("definitions-file")).sendKeys(upload.toString());
    click(By.cssSelector("#definitions-upload button"));
    assertEquals("Definitions imported.", flash());
    assertTrue(broker.queue("/", "defs.uploaded").isPresent(), "the uploaded queue exists");
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void theConsoleIsServedWithoutAnyRequestLeavingThisServer() {
    loginAsGuest();
    Object external =
        driver.executeScript(
            "return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => !n.startsWith(location.origin))");
    assertEquals(List.of(), external);
  }
}
