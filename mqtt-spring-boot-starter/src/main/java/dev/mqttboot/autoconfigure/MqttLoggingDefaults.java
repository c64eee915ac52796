package dev.mqttboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets the broker engine's start-up and shut-down chatter: Moquette logs a dozen INFO lines of its own, while the
 * starter logs one line with the bound ports. Warnings and errors still show. Any {@code logging.level.io.moquette}
 * the application sets wins, since this source comes last.
 */
class MqttLoggingDefaults implements EnvironmentPostProcessor {

	private static final String SOURCE_NAME = "mqttBootLoggingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME, Map.of("logging.level.io.moquette", "WARN")));
		}
	}

}
