package dev.mqttboot.listener;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.support.MosquittoBroker;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener is subscribed when the application has started: a message published the moment the context is up
 * reaches it, on the default and on a named connection, with dedicated and shared connections, on both embedded
 * engines and on an external Mosquitto. With the broker down, start-up still completes, the {@code mqtt} health (and a
 * readiness group that includes it) says the listeners are not subscribed, and they receive once the broker is up.
 */
class ListenerStartupTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}, {1} connections")
	@CsvSource({ "MOQUETTE, dedicated", "MOQUETTE, shared", "ARTEMIS, dedicated", "ARTEMIS, shared" })
	void aMessagePublishedAsSoonAsTheEmbeddedBrokerAppStartedReachesEveryListener(BrokerEngine engine,
			String isolation) throws Exception {
		try (ConfigurableApplicationContext context = app(TestBroker.engineProperty(engine),
				"mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "mqtt.listener.isolation=" + isolation)
			.run()) {
			assertEveryListenerGetsWhatIsPublishedNow(context);
		}
	}

	@ParameterizedTest(name = "{0} connections")
	@CsvSource({ "dedicated", "shared" })
	void aMessagePublishedAsSoonAsAnAppOnMosquittoStartedReachesEveryListener(String isolation) throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				ConfigurableApplicationContext context = app("mqtt.broker.enabled=false",
						"mqtt.client.url=" + mosquitto.url(), "mqtt.client.protocol-version=5",
						"mqtt.listener.isolation=" + isolation)
					.run()) {
			assertEveryListenerGetsWhatIsPublishedNow(context);
		}
	}

	@Test
	void withTheBrokerDownStartupCompletesReadinessWaitsAndTheListenersReceiveOnceItIsUp() throws Exception {
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory)) {
			mosquitto.stopProcess();
			try (ConfigurableApplicationContext context = app("mqtt.broker.enabled=false",
					"mqtt.client.url=" + mosquitto.url(), "mqtt.client.connection-timeout=2s",
					"mqtt.client.reconnect.initial-delay=200ms", "mqtt.client.reconnect.max-delay=1s")
				.web(WebApplicationType.SERVLET)
				.properties("server.port=0", "server.address=127.0.0.1", "management.endpoint.health.show-details=always",
						"management.endpoint.health.probes.enabled=true",
						"management.endpoint.health.group.readiness.include=readinessState,mqtt")
				.run()) {
				MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
				assertThat(registry.getListenerContainers()).noneMatch(MqttListenerContainer::isSubscribed);
				String actuator = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
						+ "/actuator/health";
				HttpResponse<String> notReady = get(actuator + "/readiness");
				assertThat(notReady.statusCode()).isEqualTo(503);
				HttpResponse<String> health = get(actuator + "/mqtt");
				assertThat(JsonPath.<String>read(health.body(), "$.components.listeners.status"))
					.isEqualTo("OUT_OF_SERVICE");
				assertThat(JsonPath.<String>read(health.body(), "$.components.listeners.details.on-second"))
					.isEqualTo("not subscribed: connection 'second:on-second' is down");

				mosquitto.startProcess();
				await().atMost(WAIT).until(() -> get(actuator + "/readiness").statusCode() == 200);
				assertThat(registry.getListenerContainers()).allMatch(MqttListenerContainer::isSubscribed);
				assertListenersReceive(context);
			}
		}
	}

	/** The moment the context is up: every listener subscribed, and what the template publishes now arrives. */
	private static void assertEveryListenerGetsWhatIsPublishedNow(ConfigurableApplicationContext context)
			throws Exception {
		MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
		assertThat(registry.getListenerContainers()).hasSize(2)
			.allSatisfy((container) -> assertThat(container.isSubscribed()).as(container.endpoint().id()).isTrue());
		assertListenersReceive(context);
	}

	private static void assertListenersReceive(ConfigurableApplicationContext context) throws Exception {
		MqttOperations template = context.getBean(MqttOperations.class);
		template.publish("startup/default/now", "to-default", PublishOptions.qos(1)).get(10, TimeUnit.SECONDS);
		template.forClient("second")
			.publish("startup/second/now", "to-second", PublishOptions.qos(1))
			.get(10, TimeUnit.SECONDS);
		Listeners listeners = context.getBean(Listeners.class);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(listeners.onDefault).containsExactly("to-default");
			assertThat(listeners.onSecond).containsExactly("to-second");
		});
	}

	private static SpringApplicationBuilder app(String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.clients.second.client-id=startup-second")
			.properties(properties);
	}

	private static HttpResponse<String> get(String url) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	static class Listeners {

		final List<String> onDefault = new CopyOnWriteArrayList<>();

		final List<String> onSecond = new CopyOnWriteArrayList<>();

		@MqttListener(topics = "startup/default/#", qos = 1, id = "on-default")
		void onDefault(String payload) {
			this.onDefault.add(payload);
		}

		@MqttListener(topics = "startup/second/#", qos = 1, id = "on-second", client = "second")
		void onSecond(String payload) {
			this.onSecond.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

}
