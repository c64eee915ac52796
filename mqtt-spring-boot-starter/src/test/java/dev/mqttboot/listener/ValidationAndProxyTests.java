package dev.mqttboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.test.MqttTestClient;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a validator present, {@code @Valid} payloads are validated (an invalid one goes to the error handler), and a
 * listener on a proxied bean (here proxied for method validation) is found and invoked through its proxy.
 */
class ValidationAndProxyTests {

	@Test
	void validPayloadsReachAProxiedListenerAndInvalidOnesGoToTheErrorHandler() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0", "spring.main.banner-mode=off")
			.run()) {
			Orders orders = context.getBean(Orders.class);
			assertThat(AopUtils.isAopProxy(orders)).as("the listener bean is proxied").isTrue();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(MqttConnections.class).get("default").isConnected());
			App app = context.getBean(App.class);
			try (MqttTestClient publisher = MqttTestClient.connect(
					"tcp://127.0.0.1:" + context.getEnvironment().getProperty("local.mqtt.port"), "orders-pub")) {
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					publisher.publish("orders/new", "{\"item\":\"seeds\"}", 1, false);
					assertThat(app.accepted).contains("seeds");
				});
				publisher.publish("orders/new", "{\"item\":\"\"}", 1, false);
				await().atMost(Duration.ofSeconds(10)).until(() -> !app.rejected.isEmpty());
				assertThat(app.rejected.get(0)).contains("item");
			}
		}
	}

	record Order(@NotBlank String item) {
	}

	@Validated
	static class Orders {

		private final App app;

		Orders(App app) {
			this.app = app;
		}

		@MqttListener(topics = "orders/new", id = "orders", errorHandler = "orderErrors")
		public void onOrder(@Valid Order order) {
			this.app.accepted.add(order.item());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> accepted = new CopyOnWriteArrayList<>();

		final List<String> rejected = new CopyOnWriteArrayList<>();

		@Bean
		Orders orders() {
			return new Orders(this);
		}

		@Bean
		MqttListenerErrorHandler orderErrors() {
			return (listenerId, message, error) -> this.rejected.add(String.valueOf(error.getMessage()));
		}

	}

}
