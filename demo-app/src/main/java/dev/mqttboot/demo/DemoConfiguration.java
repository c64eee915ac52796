package dev.mqttboot.demo;

import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.listener.MqttListenerErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The demo's wiring: scheduling for the simulator, an error handler for bad readings, and a start-up line saying
 * where to look.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DemoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DemoConfiguration.class);

	final AtomicInteger badMessages = new AtomicInteger();

	@Bean
	MqttListenerErrorHandler demoErrorHandler() {
		return (listenerId, message, error) -> {
			this.badMessages.incrementAndGet();
			logger.warn("Ignoring a bad message on {} (listener {}): {}", message.topic(), listenerId,
					error.getMessage());
		};
	}

	@EventListener(ApplicationReadyEvent.class)
	void whereToLook(ApplicationReadyEvent event) {
		Environment environment = event.getApplicationContext().getEnvironment();
		String http = "http://localhost:" + environment.getProperty("local.server.port", "8080");
		String mqtt = environment.getProperty("local.mqtt.port");
		logger.info("Greenhouse demo ready: {}/api/zones, {}/actuator/health, {}/actuator/mqtt, "
				+ "{}/actuator/prometheus; MQTT {}", http, http, http, http,
				(mqtt != null) ? "on the embedded broker, port " + mqtt
						: "via " + environment.getProperty("mqtt.client.url"));
	}

}
