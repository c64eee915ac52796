package dev.mqttboot.brokerservice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * broker-service's management port as a stranger and as the management user see it: probes, info and the Prometheus
 * scrape for anyone, with no health details; the {@code mqtt} endpoint (client ids, addresses, subscriptions) and
 * its actions only over HTTP basic, answering 404 for an unknown listener and 400 for an unknown action.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "mqtt.broker.port=0", "mqtt.broker.websocket.port=-1",
				"mqtt.broker.host=127.0.0.1", "mqtt.broker.persistence.enabled=false",
				"mqtt.broker.allow-anonymous=true", "spring.security.user.name=operator",
				"spring.security.user.password=s3cret", "spring.config.import=" })
class ManagementSecurityTests {

	@Value("${local.management.port}")
	int managementPort;

	@Value("${local.mqtt.port}")
	int mqttPort;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void probesInfoAndTheScrapeNeedNoCredentialsAndShowNoDetails() throws Exception {
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		HttpResponse<String> health = get("/actuator/health", null);
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("ports");
		assertThat(get("/actuator/prometheus", null).body()).contains("mqtt_broker_connections");
		assertThat(get("/actuator/info", null).statusCode()).isEqualTo(200);
	}

	@Test
	void theMqttEndpointAndHealthDetailsAreForTheManagementUserOnly() throws Exception {
		try (MqttTestClient client = MqttTestClient.connect("tcp://127.0.0.1:" + this.mqttPort)) {
			client.subscribe("plant/secret-line/#");
			assertThat(get("/actuator/mqtt", null).statusCode()).isEqualTo(401);
			assertThat(get("/actuator/mqtt", "operator:wrong").statusCode()).isEqualTo(401);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> details = get("/actuator/mqtt", "operator:s3cret");
				assertThat(details.statusCode()).isEqualTo(200);
				assertThat(details.body()).contains("\"detailsShown\":true")
					.contains(client.clientId())
					.contains("plant/secret-line/#");
			});
			assertThat(get("/actuator/health", "operator:s3cret").body()).contains("components");
		}
	}

	@Test
	void listenerActionsNeedCredentialsAndAnswer404And400() throws Exception {
		assertThat(post("/actuator/mqtt/no-such-listener", "{\"action\":\"pause\"}", null).statusCode())
			.isEqualTo(401);
		assertThat(post("/actuator/mqtt/no-such-listener", "{\"action\":\"pause\"}", "operator:s3cret").statusCode())
			.isEqualTo(404);
		assertThat(post("/actuator/mqtt/no-such-listener", "{\"action\":\"explode\"}", "operator:s3cret")
			.statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> get(String path, String credentials) throws Exception {
		return this.http.send(request(path, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json, String credentials) throws Exception {
		return this.http.send(request(path, credentials).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path, String credentials) {
		HttpRequest.Builder builder = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path));
		if (credentials != null) {
			builder.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return builder;
	}

}
