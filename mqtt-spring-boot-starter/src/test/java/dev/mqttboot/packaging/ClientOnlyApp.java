package dev.mqttboot.packaging;

import java.time.Duration;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * A client-only application, run in a JVM of its own by {@link ClientOnlyPackagingTests}: it starts with the starter's
 * auto-configuration, publishes one message to the broker named by its first argument, and exits 0. Exit codes say
 * what went wrong: 3 when Moquette is on its class path after all, 4 when an embedded broker bean exists.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ClientOnlyApp {

	public static void main(String[] args) throws Exception {
		if (ClassUtils.isPresent("io.moquette.broker.Server", null)) {
			System.exit(3);
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientOnlyApp.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.client.url=" + args[0],
					"mqtt.client.client-id=client-only")
			.run()) {
			if (!context.getBeansOfType(MqttBroker.class).isEmpty()) {
				System.exit(4);
			}
			context.getBean(MqttOperations.class)
				.publishAndWait("packaging/hello", "from a client-only app", PublishOptions.qos(1),
						Duration.ofSeconds(20));
		}
		System.exit(0);
	}

}
