package dev.mqttboot.demo;

import dev.mqttboot.support.RequiredTool;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.mqttboot.test.AutoConfigureEmbeddedMqttBroker;
import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo end to end on its embedded broker: a reading published with mosquitto_pub shows in the REST state (and a
 * hot one raises an alert), and a command sent over REST goes out at QoS 2 and is answered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.simulator.enabled=false")
@AutoConfigureEmbeddedMqttBroker
class GreenhouseEndToEndTests {

	@Value("${local.server.port}")
	int httpPort;

	@Value("${local.mqtt.port}")
	int mqttPort;

	@Autowired
	Environment environment;

	@Test
	void aReadingFromMosquittoPubShowsInTheRestStateAndAHotOneRaisesAnAlert() throws Exception {
		RequiredTool.MOSQUITTO_CLIENTS.assume();
		File mosquittoPub = new File(RequiredTool.MOSQUITTO_CLIENTS.path());
		try (MqttTestClient client = MqttTestClient.connect(this.environment)) {
			client.subscribe("greenhouse/+/alerts");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Process pub = new ProcessBuilder(mosquittoPub.getPath(), "-h", "127.0.0.1", "-p",
						String.valueOf(this.mqttPort), "-t", "greenhouse/east/sensors/t1", "-m",
						"{\"value\":39.5,\"unit\":\"C\"}").redirectErrorStream(true).start();
				assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
				assertThat(pub.exitValue()).isZero();
				assertThat(get("/api/zones/east")).contains("39.5");
			});
			String zone = get("/api/zones/east");
			assertThat(JsonPath.<Double>read(zone, "$.sensors.t1.value")).isEqualTo(39.5);
			assertThat(client.awaitMessages("greenhouse/east/alerts", 1, Duration.ofSeconds(10)).get(0).text())
				.contains("\"sensor\":\"t1\"").contains("\"value\":39.5");
		}
	}

	@Test
	void aCommandSentOverRestGoesOutAtQos2AndIsAnswered() throws Exception {
		try (MqttTestClient client = MqttTestClient.connect(this.environment)) {
			client.subscribe("greenhouse/west/commands", 2).subscribe("greenhouse/west/replies", 2);
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/api/zones/west/commands"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"close-vents\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(202);
			MqttTestClient.Received command = client.awaitMessages("greenhouse/west/commands", 1, Duration.ofSeconds(10))
				.get(0);
			assertThat(command.text()).isEqualTo("close-vents");
			assertThat(command.qos()).isEqualTo(2);
			client.assertPayloads("greenhouse/west/replies", Duration.ofSeconds(10), "done: close-vents");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(get("/api/zones/west")).contains("done: close-vents"));
		}
	}

	private String get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
