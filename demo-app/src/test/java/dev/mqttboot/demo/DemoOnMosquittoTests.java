package dev.mqttboot.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import dev.mqttboot.support.MosquittoBroker;
import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo pointed at an external broker (a real Mosquitto) with {@code --mqtt.client.url}: the embedded broker stays
 * off, the simulator's readings go through Mosquitto and reach the REST state, and commands are answered.
 */
class DemoOnMosquittoTests {

	@TempDir
	Path directory;

	@Test
	void theDemoRunsAgainstMosquitto() throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class).run(
						"--mqtt.client.url=" + mosquitto.url(), "--server.port=0", "--server.address=127.0.0.1",
						"--demo.simulator.interval=200ms", "--spring.main.banner-mode=off")) {
			assertThat(context.getEnvironment().getProperty("local.mqtt.port")).as("no embedded broker").isNull();
			String http = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(get(http + "/api/zones")).contains("zone-1").contains("temperature"));
			try (MqttTestClient client = MqttTestClient.connect(mosquitto.url())) {
				client.subscribe("greenhouse/zone-2/replies", 2);
				HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(http + "/api/zones/zone-2/commands"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"water\"}"))
						.build(), HttpResponse.BodyHandlers.ofString());
				client.assertPayloads("greenhouse/zone-2/replies", Duration.ofSeconds(10), "done: water");
			}
		}
	}

	private static String get(String url) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
