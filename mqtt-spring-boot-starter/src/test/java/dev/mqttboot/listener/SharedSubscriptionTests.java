package dev.mqttboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
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
 * {@code @MqttListener(group = ...)} on the embedded Artemis broker: two applications in one group share the
 * subscription, so each message is processed once, by one of them.
 */
class SharedSubscriptionTests {

	@Test
	void twoApplicationsInOneGroupSplitTheMessagesAndProcessEachOnce() throws Exception {
		try (TestBroker broker = TestBroker.start(BrokerEngine.ARTEMIS);
				ConfigurableApplicationContext first = worker(broker, "first");
				ConfigurableApplicationContext second = worker(broker, "second")) {
			Worker one = first.getBean(Worker.class);
			Worker two = second.getBean(Worker.class);
			MqttOperations template = first.getBean(MqttOperations.class);
			// Both group members are subscribed once a probe reached each of them.
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
				template.publish("jobs/probe", "probe", PublishOptions.qos(1));
				return one.seen.contains("probe") && two.seen.contains("probe");
			});
			one.jobs.clear();
			two.jobs.clear();
			List<String> sent = IntStream.range(0, 100).mapToObj((i) -> "job-" + i).toList();
			try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "job-publisher")) {
				for (String job : sent) {
					publisher.publish("jobs/work", job, 1, false);
				}
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> one.jobs.size() + two.jobs.size() >= sent.size());
			Set<String> processed = ConcurrentHashMap.newKeySet();
			processed.addAll(one.jobs);
			processed.addAll(two.jobs);
			assertThat(processed).containsExactlyInAnyOrderElementsOf(sent);
			assertThat(one.jobs.size() + two.jobs.size()).as("each processed once").isEqualTo(sent.size());
			assertThat(one.jobs).isNotEmpty();
			assertThat(two.jobs).isNotEmpty();
		}
	}

	@Test
	void aGroupIsStillRefusedOnTheEmbeddedMoquetteBrokerAndAcceptedOnArtemis() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> embeddedWithListener(BrokerEngine.MOQUETTE).close())
			.hasStackTraceContaining("needs shared subscriptions")
			.hasStackTraceContaining("mqtt.broker.engine=artemis");
		try (ConfigurableApplicationContext artemis = embeddedWithListener(BrokerEngine.ARTEMIS)) {
			assertThat(artemis.getBean(MqttListenerEndpointRegistry.class).getListenerContainer("jobs").state())
				.isEqualTo(MqttListenerContainer.State.RUNNING);
		}
	}

	private static ConfigurableApplicationContext embeddedWithListener(BrokerEngine engine) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
					TestBroker.engineProperty(engine))
			.run();
	}

	private static ConfigurableApplicationContext worker(TestBroker broker, String name) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.broker.enabled=false", "mqtt.client.url=" + broker.tcpUrl(),
					"mqtt.client.client-id=worker-" + name)
			.run();
	}

	static class Worker {

		final List<String> jobs = new CopyOnWriteArrayList<>();

		final Set<String> seen = ConcurrentHashMap.newKeySet();

		@MqttListener(id = "jobs", topics = "jobs/#", group = "workers", qos = 1)
		void onJob(String payload) {
			this.seen.add(payload);
			if (payload.startsWith("job-")) {
				this.jobs.add(payload);
			}
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
