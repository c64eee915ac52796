package dev.mqttboot.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.support.TestBroker;
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
 * At-least-once across a graceful shutdown: an application whose slow QoS 1 listener has a persistent session is
 * closed in the middle of a stream; what it had not processed is not acknowledged, and a new application with the
 * same client id processes it. The broker runs apart, so the session outlives the applications.
 */
class GracefulShutdownTests {

	private static final int MESSAGES = 200;

	@Test
	void everyMessageIsProcessedAtLeastOnceAcrossAGracefulRestart() throws Exception {
		Set<String> processed = ConcurrentHashMap.newKeySet();
		AtomicInteger invocations = new AtomicInteger();
		Worker.processed = processed;
		Worker.invocations = invocations;
		try (TestBroker broker = TestBroker.start()) {
			ConfigurableApplicationContext first = app(broker);
			try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "shutdown-publisher")) {
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					publisher.publish("work/probe", "probe", 1, false);
					assertThat(processed).contains("probe");
				});
				for (int i = 0; i < MESSAGES; i++) {
					publisher.publish("work/item", "item-" + i, 1, false);
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> items(processed) >= 20);
				first.close();
				long beforeRestart = items(processed);
				assertThat(beforeRestart).as("closed mid-stream").isLessThan(MESSAGES);
				try (ConfigurableApplicationContext second = app(broker)) {
					await().atMost(Duration.ofSeconds(60)).until(() -> items(processed) == MESSAGES);
				}
			}
		}
		for (int i = 0; i < MESSAGES; i++) {
			assertThat(processed).contains("item-" + i);
		}
		assertThat(invocations.get()).isGreaterThanOrEqualTo(MESSAGES);
	}

	/** How many distinct work items were processed (probes left out). */
	private static long items(Set<String> processed) {
		return processed.stream().filter((item) -> item.startsWith("item-")).count();
	}

	private static ConfigurableApplicationContext app(TestBroker broker) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("mqtt.broker.enabled=false", "mqtt.client.url=" + broker.tcpUrl(),
					"mqtt.client.client-id=shutdown-app", "mqtt.client.clean-session=false",
					"spring.main.banner-mode=off", "spring.lifecycle.timeout-per-shutdown-phase=10s")
			.run();
	}

	static class Worker {

		static volatile Set<String> processed;

		static volatile AtomicInteger invocations;

		@MqttListener(topics = "work/#", qos = 1, id = "worker")
		void work(String item) {
			invocations.incrementAndGet();
			// 50 ms of work per message.
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			processed.add(item);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Worker worker() {
			return new Worker();
		}

	}

}
