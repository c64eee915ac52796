package dev.mqttboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.test.MqttTestClient;
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
 * QoS 1 messages are acknowledged only after the listener returns: when the connection dies while a listener is
 * still processing, the broker delivers the message again after the reconnect.
 */
class AtLeastOnceTests {

	@Test
	void aMessageBeingProcessedWhenTheConnectionDiesIsRedeliveredAfterReconnect() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "spring.main.banner-mode=off",
					"mqtt.client.client-id=at-least-once", "mqtt.client.clean-session=false",
					"mqtt.client.reconnect.initial-delay=100ms", "mqtt.client.reconnect.max-delay=500ms")
			.run()) {
			Worker worker = context.getBean(Worker.class);
			// The listener receives on its own connection, client id "<client-id>-<listener-id>".
			MqttConnection connection = context.getBean(MqttListenerEndpointRegistry.class)
				.getListenerContainer("worker")
				.connection();
			assertThat(connection.clientId()).isEqualTo("at-least-once-worker");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			String url = "tcp://127.0.0.1:" + context.getEnvironment().getProperty("local.mqtt.port");
			try (MqttTestClient publisher = MqttTestClient.connect(url, "job-publisher")) {
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					publisher.publish("jobs/probe", "probe", 1, false);
					assertThat(worker.seen).contains("probe");
				});
				publisher.publish("jobs/1", "job-1", 1, false);
				await().atMost(Duration.ofSeconds(10)).until(() -> worker.seen.contains("job-1"));
				// The listener is now busy with job-1 and has not returned: kill the connection.
				assertThat(context.getBean(MqttBroker.class).disconnect("at-least-once-worker")).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> connection.lastDisconnect().isPresent());
				await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
				worker.release.countDown();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> worker.seen.stream().filter("job-1"::equals).count() >= 2);
			}
		}
	}

	static class Worker {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@MqttListener(topics = "jobs/#", qos = 1, id = "worker")
		void work(String job) throws InterruptedException {
			boolean first = !this.seen.contains(job);
			this.seen.add(job);
			if (job.equals("job-1") && first) {
				this.release.await(30, TimeUnit.SECONDS);
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
