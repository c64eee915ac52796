package dev.mqttboot.demo;

import dev.mqttboot.support.RequiredTool;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.mqttboot.test.AutoConfigureEmbeddedMqttBroker;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo starts on its embedded broker with Logback as the only SLF4J provider, and reports the broker in its
 * health and Prometheus endpoints.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.simulator.enabled=false")
@AutoConfigureEmbeddedMqttBroker
class DemoApplicationTests {

	@Value("${local.server.port}")
	int httpPort;

	@Value("${local.mqtt.port}")
	int mqttPort;

	@Test
	void startsWithLogbackAsTheOnlySlf4jProvider() {
		assertThat(ServiceLoader.load(SLF4JServiceProvider.class).stream().map((p) -> p.type().getName()))
			.containsExactly("ch.qos.logback.classic.spi.LogbackServiceProvider");
		assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
			.isEqualTo("ch.qos.logback.classic.LoggerContext");
	}

	@Test
	void healthShowsTheEmbeddedBrokerUp() throws Exception {
		String health = get("/actuator/health");
		assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health, "$.components.mqtt.components.broker.status")).isEqualTo("UP");
		assertThat(JsonPath.<Integer>read(health, "$.components.mqtt.components.broker.details.ports.mqtt"))
			.isEqualTo(this.mqttPort);
	}

	@Test
	void prometheusExposesTheBrokerMeters() throws Exception {
		assertThat(get("/actuator/prometheus")).contains("mqtt_broker_connections ")
			.contains("mqtt_broker_connects_total{outcome=\"accepted\"}")
			.contains("mqtt_broker_keepalive_seconds_count");
	}

	@Test
	void everyMetricTheGrafanaDashboardQueriesExistsInARealScrape() throws Exception {
		String scrape = get("/actuator/prometheus");
		String dashboard = Files.readString(Path.of("../grafana/dashboards/mqtt-overview.json"));
		List<String> expressions = JsonPath.read(dashboard, "$.panels[*].targets[*].expr");
		assertThat(expressions).isNotEmpty();
		Matcher metric = Pattern.compile("\\bmqtt_[a-z_]+").matcher(String.join("\n", expressions));
		int checked = 0;
		while (metric.find()) {
			assertThat(scrape).as("metric %s used by the dashboard", metric.group()).contains(metric.group());
			checked++;
		}
		assertThat(checked).isGreaterThanOrEqualTo(20);
	}

	@Test
	void everyDashboardQueryParsesAsPromQL() throws Exception {
		String dashboard = Files.readString(Path.of("../grafana/dashboards/mqtt-overview.json"));
		List<String> expressions = JsonPath.read(dashboard, "$.panels[*].targets[*].expr");
		// promtool parses expressions in rule files: one recording rule per query, with the dashboard's variables
		// replaced by what Grafana would put there.
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
		for (int i = 0; i < expressions.size(); i++) {
			String expression = expressions.get(i).replace("$instance", ".*");
			rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
				.append(expression.replace("'", "''")).append("'\n");
		}
		Path file = Files.createTempFile("dashboard-queries", ".yml");
		Files.writeString(file, rules);
		String output = promtool("check", "rules", file.toString());
		assertThat(output).contains("SUCCESS: " + expressions.size() + " rules found");
	}

	@Test
	void everyMetricTheAlertRulesUseExistsInARealScrape() throws Exception {
		String scrape = get("/actuator/prometheus");
		String alerts = Files.readString(Path.of("../helm/broker-service/files/alerts.yml"));
		Matcher metric = Pattern.compile("\\bmqtt_[a-z_]+").matcher(alerts);
		int checked = 0;
		while (metric.find()) {
			if (metric.group().contains("_tls_certificate_")) {
				// Only with TLS, which the demo does not use: the starter's ObservabilityIntegrationTests scrapes them.
				continue;
			}
			assertThat(scrape).as("metric %s used by the alert rules", metric.group()).contains(metric.group());
			checked++;
		}
		assertThat(checked).isGreaterThanOrEqualTo(5);
	}

	private static String promtool(String... args) throws Exception {
		RequiredTool.PROMTOOL.assume();
		java.io.File promtool = new java.io.File(RequiredTool.PROMTOOL.path());
		List<String> command = new java.util.ArrayList<>(List.of(promtool.getPath()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
