package dev.mqttboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets the broker engines' start-up and shut-down chatter: Moquette and Artemis log a dozen INFO lines of their
 * own (Artemis also an audit line per connection, session and queue), while the starter logs one line with the bound
 * ports; and Spring Integration's advice to turn on Paho's automatic reconnect,
 * which the starter replaces with its own. Warnings and errors still show. Any level the application sets for these
 * loggers wins, since this source comes last.
 */
class MqttLoggingDefaults implements EnvironmentPostProcessor {

	private static final String SOURCE_NAME = "mqttBootLoggingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME, Map.of("logging.level.io.moquette", "WARN",
						// Spring Integration advises Paho's automatic reconnect at INFO; the starter reconnects
						// itself (with backoff, jitter and restored subscriptions), so the advice only misleads.
						"logging.level[dev.mqttboot.client.PahoV3Client$SharedClientManager]", "WARN",
						"logging.level[dev.mqttboot.client.PahoV5Client$SharedClientManager]", "WARN",
						// Artemis writes an INFO audit line for every connection, session and queue; its own
						// INFO start-up lines too, while the starter logs one line with the bound ports.
						"logging.level.org.apache.activemq.audit", "WARN",
						"logging.level.org.apache.activemq.artemis", "WARN")));
		}
	}

}
