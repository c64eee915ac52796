package dev.mqttboot.actuate;

import dev.mqttboot.support.RequiredTool;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.listener.MqttListener;
import dev.mqttboot.support.FreePorts;
import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttConnectRefusedException;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import io.micrometer.core.instrument.MeterRegistry;
import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A web application with Actuator and the Prometheus registry, driven with known traffic: exact meter values in the
 * registry and in the {@code /actuator/prometheus} text (which {@code promtool check metrics} accepts), the
 * {@code mqtt} endpoint, and health following the client's connection.
 */
class ObservabilityIntegrationTests {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@EnumSource(BrokerEngine.class)
	void knownTrafficGivesExactMetricsHealthAndEndpointContent(BrokerEngine engine) throws Exception {
		int mqttPort = FreePorts.loopback();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.SERVLET)
			.properties(TestBroker.engineProperty(engine), "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"mqtt.broker.host=127.0.0.1", "mqtt.broker.port=" + mqttPort, "mqtt.broker.max-keep-alive=30s",
					"mqtt.broker.allow-anonymous=false", "mqtt.broker.users[0].name=u",
					"mqtt.broker.users[0].password={noop}p", "mqtt.client.username=u", "mqtt.client.password=p",
					"mqtt.client.client-id=app", "mqtt.client.keep-alive=10s",
					"mqtt.client.reconnect.initial-delay=100ms", "mqtt.client.reconnect.max-delay=500ms",
					"mqtt.health.client-grace-period=0s", "mqtt.client.observation-enabled=true",
					"mqtt.listener.observation-enabled=true",
					"management.endpoints.web.exposure.include=health,mqtt,prometheus",
					"management.endpoint.health.show-details=always", "management.endpoint.mqtt.show-values=always")
			.run()) {
			String http = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			String mqtt = "tcp://127.0.0.1:" + mqttPort;
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Seen seen = context.getBean(Seen.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> JsonPath.<String>read(get(http + "/actuator/health"),
						"$.components.mqtt.components.clients.components.default.status").equals("UP"));

			// Known traffic: 3 messages at each QoS from a device, 2 QoS 1 publishes from the template.
			try (MqttTestClient device = MqttTestClient.connect(mqtt, "device", credentials(20))) {
				for (int qos = 0; qos <= 2; qos++) {
					for (int i = 0; i < 3; i++) {
						device.publish("obs/device", "q" + qos, qos, false);
					}
				}
			}
			MqttOperations template = context.getBean(MqttOperations.class);
			template.publish("obs/app", "a1", PublishOptions.qos(1)).get();
			template.publish("obs/app", "a2", PublishOptions.qos(1)).get();
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.count == 11);
			// One client killed without DISCONNECT, one closed by keep-alive expiry, one refused login.
			RawMqttClient killed = new RawMqttClient(mqttPort);
			killed.send(MqttPackets.connect("killed", 0, true, null, null, 0, "u", "p"));
			killed.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
			killed.close();
			try (RawMqttClient silent = new RawMqttClient(mqttPort)) {
				silent.send(MqttPackets.connect("silent", 1, true, null, null, 0, "u", "p"));
				silent.expect(MqttPackets.CONNACK, Duration.ofSeconds(10));
				assertThat(silent.closedWithin(Duration.ofSeconds(15))).isTrue();
			}
			MqttTestOptions wrong = new MqttTestOptions().credentials("u", "wrong");
			assertThatExceptionOfType(MqttConnectRefusedException.class)
				.isThrownBy(() -> MqttTestClient.connect(mqtt, "x", wrong));

			await().atMost(Duration.ofSeconds(10))
				.until(() -> count(registry, "mqtt.broker.disconnects", "reason", "keepalive") == 1
						&& count(registry, "mqtt.broker.disconnects", "reason", "lost") == 1
						&& count(registry, "mqtt.listener.invocations", "outcome", "success") == 11);
			// The application connects twice: its template connection and the listener's dedicated one (app-obs).
			assertThat(count(registry, "mqtt.broker.connects", "outcome", "accepted")).isEqualTo(5);
			assertThat(count(registry, "mqtt.broker.connects", "outcome", "rejected")).isEqualTo(1);
			assertThat(count(registry, "mqtt.broker.auth.failures", null, null)).isEqualTo(1);
			assertThat(count(registry, "mqtt.broker.disconnects", "reason", "client")).isEqualTo(1);
			assertThat(count(registry, "mqtt.broker.messages.received", "qos", "0")).isEqualTo(3);
			assertThat(count(registry, "mqtt.broker.messages.received", "qos", "1")).isEqualTo(5);
			assertThat(count(registry, "mqtt.broker.messages.received", "qos", "2")).isEqualTo(3);
			assertThat(registry.get("mqtt.broker.keepalive").summary().count()).isEqualTo(5);
			assertThat(registry.get("mqtt.broker.keepalive").summary().totalAmount()).isEqualTo(10 + 10 + 20 + 0 + 1);
			// The application's one listener subscription; the devices only publish.
			assertThat(registry.get("mqtt.broker.subscriptions").gauge().value()).isEqualTo(1);
			assertThat(registry.get("mqtt.client.connected").tag("client", "default").gauge().value()).isEqualTo(1);
			assertThat(registry.get("mqtt.client.keepalive").tag("client", "default").gauge().value()).isEqualTo(10);
			assertThat(count(registry, "mqtt.client.messages.published", "outcome", "success")).isEqualTo(2);
			// What the broker wrote to the listener's connection, at the QoS of each publish (it subscribed at 2).
			assertThat(count(registry, "mqtt.broker.messages.delivered", "qos", "0")).isEqualTo(3);
			assertThat(count(registry, "mqtt.broker.messages.delivered", "qos", "1")).isEqualTo(5);
			assertThat(count(registry, "mqtt.broker.messages.delivered", "qos", "2")).isEqualTo(3);
			assertThat(count(registry, "mqtt.broker.messages.dropped", null, null)).isZero();
			assertThat(count(registry, "mqtt.broker.publishes.retained", null, null)).isZero();
			assertThat(registry.get("mqtt.broker.received").functionCounter().count()).isPositive();
			assertThat(registry.get("mqtt.broker.sent").functionCounter().count()).isPositive();
			assertThat(registry.get("mqtt.client.publish.duration").tags("client", "default", "qos", "1", "outcome", "success")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("mqtt.client.messages.received").tag("client", "default:obs").tag("qos", "1")
				.counter()
				.count()).isEqualTo(5);
			assertThat(registry.get("mqtt.client.connected").tag("client", "default:obs").gauge().value()).isEqualTo(1);

			String scrape = get(http + "/actuator/prometheus");
			assertThat(scrape).contains("mqtt_broker_connects_total{outcome=\"accepted\"} 5.0")
				.contains("mqtt_broker_disconnects_total{reason=\"keepalive\"} 1.0")
				.contains("mqtt_broker_messages_received_total{qos=\"2\"} 3.0")
				.contains("mqtt_broker_keepalive_seconds_count 5")
				// Asked: 0 (killed), 1 (silent), 10 (app and app-obs), 20 (device).
				.contains("mqtt_broker_keepalive_seconds_bucket{le=\"0.5\"} 1")
				.contains("mqtt_broker_keepalive_seconds_bucket{le=\"10.0\"} 4")
				.contains("mqtt_broker_keepalive_seconds_bucket{le=\"30.0\"} 5")
				.contains("mqtt_broker_keepalive_ceiling_seconds 30.0")
				.contains("mqtt_broker_subscriptions 1.0")
				.contains("mqtt_client_messages_published_total{client=\"default\",outcome=\"success\",qos=\"1\"} 2.0")
				.contains("mqtt_client_publish_duration_seconds_count{client=\"default\",exception=\"none\","
						+ "outcome=\"success\",qos=\"1\"} 2")
				.contains("mqtt_listener_invocations_seconds_count{exception=\"none\",listener=\"obs\","
						+ "outcome=\"success\"} 11")
				.contains("mqtt_broker_messages_delivered_total{qos=\"1\"} 5.0")
				.contains("mqtt_broker_messages_dropped_total{reason=\"slow_subscriber\"} 0.0")
				.contains("mqtt_broker_messages_dropped_total{reason=\"access_denied\"} 0.0")
				.contains("mqtt_broker_publishes_retained_total 0.0")
				.contains("# TYPE mqtt_broker_received_bytes_total counter")
				.contains("# TYPE mqtt_broker_sent_bytes_total counter")
				.doesNotContain("mqtt_broker_messages_retained");
			// The observations' meters carry help text too (promtool reports a family without it).
			assertThat(scrape).containsPattern("# HELP mqtt_template_seconds .*acknowledgement")
				.containsPattern("# HELP mqtt_listener_seconds .*invocations");
			checkWithPromtool(scrape);

			String endpoint = get(http + "/actuator/mqtt");
			assertThat(JsonPath.<List<String>>read(endpoint, "$.broker.clients[*].clientId")).contains("app", "app-obs");
			assertThat(JsonPath.<List<String>>read(endpoint,
					"$.broker.clients[?(@.clientId == 'app-obs')].subscriptions[*].topicFilter"))
				.containsExactly("obs/#");
			assertThat(JsonPath.<List<Integer>>read(endpoint,
					"$.broker.clients[?(@.clientId == 'app-obs')].subscriptions[*].qos")).containsExactly(2);
			assertThat(JsonPath.<List<Integer>>read(endpoint, "$.broker.clients[?(@.clientId == 'app')].keepAlive"))
				.containsExactly(10);
			assertThat(JsonPath.<List<String>>read(endpoint, "$.listeners[?(@.id == 'obs')].connection"))
				.containsExactly("default:obs");
			assertThat(JsonPath.<String>read(endpoint, "$.clients[0].state")).isEqualTo("connected");
			assertThat(JsonPath.<List<String>>read(endpoint, "$.listeners[*].id")).contains("obs");
			assertThat(endpoint).doesNotContain("\"p\"").doesNotContain("password");
			String paused = post(http + "/actuator/mqtt/obs", "{\"action\":\"pause\"}");
			assertThat(JsonPath.<String>read(paused, "$.state")).isEqualTo("PAUSED");

			MqttBroker broker = context.getBean(MqttBroker.class);
			broker.stop();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> JsonPath.<String>read(get(http + "/actuator/health"),
						"$.components.mqtt.components.clients.components.default.status").equals("DOWN"));
			broker.start();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> JsonPath.<String>read(get(http + "/actuator/health"),
						"$.components.mqtt.components.clients.components.default.status").equals("UP"));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> JsonPath.<String>read(get(http + "/actuator/health"),
						"$.components.mqtt.components.clients.components['default:obs'].status").equals("UP"));
			assertThat(count(registry, "mqtt.client.reconnects", null, null)).isEqualTo(2);
		}
	}

	private void checkWithPromtool(String scrape) throws Exception {
		RequiredTool.PROMTOOL.assume();
		File promtool = new File(RequiredTool.PROMTOOL.path());
		// Only our families: Spring Boot's and Micrometer's own meters draw promtool lint warnings of their own
		// (abbreviated units, missing help) that are not ours to fix.
		String ours = scrape.lines()
			.filter((line) -> line.startsWith("mqtt_") || line.startsWith("# HELP mqtt_")
					|| line.startsWith("# TYPE mqtt_"))
			.collect(java.util.stream.Collectors.joining("\n", "", "\n"));
		assertThat(ours).contains("# TYPE mqtt_broker_connections gauge");
		Path file = Files.writeString(this.directory.resolve("scrape.txt"), ours);
		Process process = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectInput(file.toFile())
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
	}

	@Test
	void theCertificatesServedAndPresentedAreInTheScrapeAndTheHealth() throws Exception {
		int tlsPort = FreePorts.loopback();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"mqtt.broker.enabled=true", "mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
					"mqtt.broker.ssl.port=" + tlsPort, "mqtt.broker.ssl.bundle=server",
					"spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.pem",
					"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
					"mqtt.client.url=ssl://127.0.0.1:" + tlsPort, "mqtt.client.ssl.bundle=device",
					"spring.ssl.bundle.pem.device.truststore.certificate=classpath:tls/ca.pem",
					"spring.ssl.bundle.pem.device.keystore.certificate=classpath:tls/client.pem",
					"spring.ssl.bundle.pem.device.keystore.private-key=classpath:tls/client.key",
					"management.endpoints.web.exposure.include=health,prometheus",
					"management.endpoint.health.show-details=always")
			.run()) {
			String http = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> JsonPath.<String>read(get(http + "/actuator/health"),
						"$.components.mqtt.components.clients.components.default.status").equals("UP"));
			String health = get(http + "/actuator/health");
			assertThat(JsonPath.<String>read(health, "$.components.mqtt.components.broker.details.tls.subject"))
				.isEqualTo("CN=localhost");
			String scrape = get(http + "/actuator/prometheus");
			assertThat(scrape).containsPattern("(?m)^mqtt_broker_tls_certificate_expiry_seconds [0-9.E]+$")
				.containsPattern("(?m)^mqtt_client_tls_certificate_expiry_seconds\\{client=\"default\"} [0-9.E]+$");
		}
	}

	private static MqttTestOptions credentials(int keepAlive) {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials("u", "p");
		options.keepAlive(Duration.ofSeconds(keepAlive));
		return options;
	}

	private static double count(MeterRegistry registry, String name, String tag, String value) {
		var search = registry.find(name);
		if (tag != null) {
			search = search.tag(tag, value);
		}
		return search.counters().stream().mapToDouble((c) -> c.count()).sum()
				+ search.functionCounters().stream().mapToDouble((c) -> c.count()).sum()
				+ search.timers().stream().mapToDouble((t) -> t.count()).sum();
	}

	private static String get(String url) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static String post(String url, String json) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	static class Seen {

		volatile int count;

		@MqttListener(topics = "obs/#", id = "obs", qos = 2)
		synchronized void onMessage(String payload) {
			this.count++;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Seen seen() {
			return new Seen();
		}

	}

}
