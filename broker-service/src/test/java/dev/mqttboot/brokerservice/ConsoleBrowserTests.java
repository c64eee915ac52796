package dev.mqttboot.brokerservice;

import dev.mqttboot.support.RequiredTool;
import dev.mqttboot.support.RequiresTools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (headless Chromium driven by Selenium) against broker-service on Artemis (and, in
 * {@link ConsoleBrowserMoquetteTests}, on Moquette), with real
 * MQTT clients on the other side: log in, see a client and its subscriptions, publish from the page to it, watch a
 * filter receive a message published elsewhere, clear a retained message, disconnect a client; a hostile payload
 * renders as text; anonymous requests get only the login; the access rules bind the console's user. A screenshot of
 * each page goes to {@code target/console-screenshots}.
 */
@RequiresTools(RequiredTool.CHROMIUM)
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "mqtt.broker.port=0", "mqtt.broker.websocket.port=-1",
				"mqtt.broker.host=127.0.0.1", "mqtt.broker.persistence.enabled=false",
				"mqtt.broker.allow-anonymous=true", "spring.security.user.name=operator",
				"spring.security.user.password=s3cret", "spring.config.import=",
				"mqtt.broker.acl[0].user=operator", "mqtt.broker.acl[0].topic=secret/#",
				"mqtt.broker.acl[0].access=deny" })
class ConsoleBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static WebDriver browser;

	@Value("${local.management.port}")
	int managementPort;

	@Value("${local.mqtt.port}")
	int mqttPort;

	@Autowired
	MqttBroker broker;

	@Value("${mqtt.broker.engine}")
	String engine;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void openBrowser() throws IOException {
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
				"--disable-gpu");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		browser = new ChromeDriver(service, options);
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void logIn() {
		browser.manage().deleteAllCookies();
		browser.get(url("/console"));
		// Redirected to the login form; back to the overview once logged in.
		wait(ExpectedConditions.urlContains("/login"));
		browser.findElement(By.name("username")).sendKeys("operator");
		browser.findElement(By.name("password")).sendKeys("s3cret");
		browser.findElement(By.cssSelector("button[type=submit]")).click();
		wait(ExpectedConditions.presenceOfElementLocated(By.id("engine")));
	}

	@Test
	void theOverviewShowsTheEngineAndItsConnections() throws Exception {
		try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			browser.navigate().refresh();
			assertThat(text("engine")).isEqualTo(this.engine);
			assertThat(Integer.parseInt(text("connections"))).isGreaterThanOrEqualTo(1);
			screenshot(this.engine + "-overview");
		}
	}

	@Test
	void aConnectedClientIsFoundWithItsSubscriptionsAndCanBeDisconnected() throws Exception {
		try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			device.subscribe("plant/line-7/#", 1);
			browser.get(url("/console/clients"));
			browser.findElement(By.id("search")).sendKeys(device.clientId());
			browser.findElement(By.id("search")).submit();
			WebElement link = wait(ExpectedConditions.elementToBeClickable(By.linkText(device.clientId())));
			screenshot(this.engine + "-clients");
			link.click();
			wait(ExpectedConditions.textToBe(By.id("client-id"), device.clientId()));
			assertThat(browser.findElement(By.id("subscriptions")).getText()).contains("plant/line-7/#");
			screenshot(this.engine + "-client");
			browser.findElement(By.cssSelector("#disconnect button")).click();
			browser.switchTo().alert().accept();
			wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Disconnected"));
			await().atMost(WAIT).until(() -> this.broker.connectedClients()
				.stream()
				.noneMatch((client) -> client.clientId().equals(device.clientId())));
		}
	}

	@Test
	void aMessagePublishedFromThePageReachesASubscribedClientAndIsAudited(CapturedOutput output) throws Exception {
		try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			device.subscribe("plant/line-7/cmd", 1);
			browser.get(url("/console/try"));
			browser.findElement(By.id("publish-topic")).sendKeys("plant/line-7/cmd");
			browser.findElement(By.id("publish-payload")).sendKeys("start");
			browser.findElement(By.cssSelector("#publish button")).click();
			wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Published 5 bytes"));
			device.assertPayloads("plant/line-7/cmd", WAIT, "start");
		}
		assertThat(output).contains("user=operator action=publish subject='plant/line-7/cmd' qos=1 retain=false bytes=5");
	}

	@Test
	void aWatchedFilterShowsAMessagePublishedElsewhereAndAHostilePayloadAsText() throws Exception {
		browser.get(url("/console/try?filter=sensors/%23"));
		wait(ExpectedConditions.textToBePresentInElementLocated(By.id("watch-state"), "watching sensors/#"));
		String hostile = "<img src=x onerror=\"window.hacked=1\"><script>window.hacked=2</script>";
		try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			device.publish("sensors/greenhouse/temp", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
			device.publish("other/topic", "not watched".getBytes(StandardCharsets.UTF_8), 1, false);
			device.publish("sensors/greenhouse/evil", hostile.getBytes(StandardCharsets.UTF_8), 1, false);
		}
		wait((driver) -> watchedRows().size() == 2);
		List<WebElement> rows = watchedRows();
		// Newest first.
		assertThat(rows.get(1).findElement(By.className("topic")).getText()).isEqualTo("sensors/greenhouse/temp");
		assertThat(rows.get(1).findElement(By.className("payload")).getText()).isEqualTo("21.5");
		assertThat(rows.get(0).findElement(By.className("payload")).getText()).isEqualTo(hostile);
		assertThat(browser.findElements(By.cssSelector("#watched img, #watched script"))).isEmpty();
		assertThat(((JavascriptExecutor) browser).executeScript("return window.hacked === undefined")).isEqualTo(true);
		screenshot(this.engine + "-try-it");
	}

	@Test
	void aRetainedMessageIsListedAsTextAndCleared() throws Exception {
		try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			device.publish("plant/line-9/state", "<b>running</b>".getBytes(StandardCharsets.UTF_8), 1, true);
			device.publish("plant/line-9/raw", new byte[] { 0, 1, (byte) 0xfe }, 0, true);
		}
		await().atMost(WAIT).until(() -> this.broker.retainedMessages("plant/line-9/#").size() == 2);
		browser.get(url("/console/topics?filter=plant/line-9/%23"));
		WebElement table = browser.findElement(By.id("retained"));
		assertThat(table.getText()).contains("plant/line-9/state").contains("<b>running</b>").contains("0x 00 01 fe");
		assertThat(table.findElements(By.tagName("b"))).isEmpty();
		screenshot(this.engine + "-retained");
		WebElement stateRow = table.findElement(By.xpath(".//tr[td[@class='topic' and text()='plant/line-9/state']]"));
		stateRow.findElement(By.cssSelector("form.clear button")).click();
		browser.switchTo().alert().accept();
		wait(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Cleared"));
		assertThat(browser.findElement(By.id("retained")).getText()).doesNotContain("plant/line-9/state")
			.contains("plant/line-9/raw");
		assertThat(this.broker.retainedMessages("plant/line-9/#")).hasSize(1);
	}

	@Test
	void theAccessRulesBindTheConsolesUser() throws Exception {
		browser.get(url("/console/try?filter=secret/%23"));
		wait(ExpectedConditions.textToBePresentInElementLocated(By.id("watch-state"), "not watching"));
		HttpResponse<String> watch = get("/console/watch?filter=secret/%23", "operator:s3cret");
		assertThat(watch.statusCode()).isEqualTo(403);
		assertThat(watch.body()).contains("do not let 'operator' subscribe to 'secret/#'");
		browser.findElement(By.id("publish-topic")).sendKeys("secret/plans");
		browser.findElement(By.id("publish-payload")).sendKeys("leak");
		browser.findElement(By.cssSelector("#publish button")).click();
		wait(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "do not let 'operator' publish"));
	}

	@Test
	void anAnonymousRequestGetsOnlyTheLoginAndAnActionNeedsItsCsrfToken() throws Exception {
		for (String path : List.of("/console", "/console/clients", "/console/topics", "/console/watch?filter=a")) {
			assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
		}
		assertThat(get("/login", null).statusCode()).isEqualTo(200);
		// Credentials without the page's CSRF token: refused.
		HttpResponse<String> forged = this.http.send(request("/console/publish", "operator:s3cret")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("topic=a/b&payload=x"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).isEqualTo(403);
		// The console is not on the application port.
		HttpResponse<String> appPort = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.applicationPort() + "/console"))
			.header("Authorization", basic("operator:s3cret"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(appPort.statusCode()).isIn(401, 403, 404);
	}

	@Value("${local.server.port}")
	int serverPort;

	private int applicationPort() {
		return this.serverPort;
	}

	private List<WebElement> watchedRows() {
		return browser.findElements(By.cssSelector("#watched tr.watched-message"));
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.managementPort + path;
	}

	private static String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private static <T> T wait(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
		return new WebDriverWait(browser, WAIT).until(condition);
	}

	private static void screenshot(String name) throws IOException {
		Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	private HttpResponse<String> get(String path, String credentials) throws Exception {
		return this.http.send(request(path, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path, String credentials) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
		return (credentials != null) ? request.header("Authorization", basic(credentials)) : request;
	}

	private static String basic(String credentials) {
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
