package dev.mqttboot.listener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.support.MosquittoBroker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners with overlapping filters on one shared connection ({@code mqtt.listener.isolation=shared}), against a
 * real Mosquitto, which sends an MQTT 5 client one copy of a message per matching subscription: each listener still
 * processes each message once, because the connection subscribes only to the filters that no other of its filters
 * covers.
 */
class OverlappingSubscriptionsTests {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "MQTT {0}")
	@ValueSource(strings = { "3.1.1", "5" })
	void eachListenerGetsEachMessageOnceWhateverTheBrokerSends(String protocol) throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
					.web(WebApplicationType.NONE)
					.properties("mqtt.broker.enabled=false", "mqtt.client.url=" + mosquitto.url(),
							"mqtt.client.protocol-version=" + protocol, "mqtt.listener.isolation=shared",
							"spring.main.banner-mode=off")
					.run()) {
			MqttConnection connection = context.getBean(MqttConnections.class).get("default");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connection.isConnected() && connection.subscriptions().stream()
					.allMatch(MqttConnection.SubscriptionStatus::granted));
			// Both filters are the application's; only the wider one went to the broker, at the higher QoS.
			assertThat(connection.subscriptions()).extracting(MqttConnection.SubscriptionStatus::topicFilter)
				.containsExactlyInAnyOrder("plant/#", "plant/+/temperature");
			Overlapping listeners = context.getBean(Overlapping.class);
			MqttOperations template = context.getBean(MqttOperations.class);
			template.publishAndWait("plant/7/temperature", "21", PublishOptions.qos(1), Duration.ofSeconds(10));
			template.publishAndWait("plant/7/humidity", "40", PublishOptions.qos(1), Duration.ofSeconds(10));
			template.publishAndWait("plant/end", "marker", PublishOptions.qos(1), Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.wide.contains("marker"));
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.narrow.contains("21"));
			assertThat(listeners.wide).containsExactly("21", "40", "marker");
			assertThat(listeners.narrow).containsExactly("21");
		}
	}

	static class Overlapping {

		final List<String> wide = new CopyOnWriteArrayList<>();

		final List<String> narrow = new CopyOnWriteArrayList<>();

		@MqttListener(topics = "plant/#", id = "wide", qos = 0)
		void wide(String payload) {
			this.wide.add(payload);
		}

		@MqttListener(topics = "plant/+/temperature", id = "narrow", qos = 1)
		void narrow(String payload) {
			this.narrow.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Overlapping overlapping() {
			return new Overlapping();
		}

	}

}
