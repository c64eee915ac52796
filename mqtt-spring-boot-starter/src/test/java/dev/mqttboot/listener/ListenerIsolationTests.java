package dev.mqttboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.test.MqttTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A paused listener with thousands of messages waiting holds up nobody: another listener on the same client
 * connection keeps receiving and the template keeps completing publishes; on resume the paused one gets all of its
 * messages.
 */
class ListenerIsolationTests {

	private static final int WAITING = 5000;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "spring.main.banner-mode=off")
			.run();
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void aPausedListenerDelaysNeitherAnotherListenerNorTheTemplate() throws Exception {
		Listeners listeners = context.getBean(Listeners.class);
		MqttListenerEndpointRegistry registry = context.getBean(MqttListenerEndpointRegistry.class);
		MqttOperations template = context.getBean(MqttOperations.class);
		String url = "tcp://127.0.0.1:" + context.getEnvironment().getProperty("local.mqtt.port");
		try (MqttTestClient publisher = MqttTestClient.connect(url, "isolation-publisher")) {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				publisher.publish("paused/probe", "probe", 1, false);
				publisher.publish("busy/probe", "probe", 1, false);
				assertThat(listeners.paused).contains("probe");
				assertThat(listeners.busy).contains("probe");
			});
			registry.pause("paused");
			for (int i = 0; i < WAITING; i++) {
				publisher.publish("paused/item", "item-" + i, 1, false);
			}
			for (int i = 0; i < 20; i++) {
				publisher.publish("busy/item", "busy-" + i, 1, false);
				template.publish("from/template", "template-" + i, PublishOptions.qos(1)).get(10, TimeUnit.SECONDS);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> listeners.busy.contains("busy-19"));
			assertThat(items(listeners.paused)).isEmpty();
			registry.resume("paused");
			await().atMost(Duration.ofSeconds(60)).until(() -> items(listeners.paused).size() == WAITING);
		}
	}

	/** The distinct work items among what a listener received (the probes left out). */
	private static Set<String> items(List<String> received) {
		Set<String> items = ConcurrentHashMap.newKeySet();
		received.stream().filter((payload) -> payload.startsWith("item-")).forEach(items::add);
		return items;
	}

	static class Listeners {

		final List<String> paused = new CopyOnWriteArrayList<>();

		final List<String> busy = new CopyOnWriteArrayList<>();

		@MqttListener(topics = "paused/#", qos = 1, id = "paused")
		void paused(String payload) {
			this.paused.add(payload);
		}

		@MqttListener(topics = "busy/#", qos = 1, id = "busy")
		void busy(String payload) {
			this.busy.add(payload);
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
