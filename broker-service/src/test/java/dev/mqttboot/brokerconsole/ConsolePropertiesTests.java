package dev.mqttboot.brokerconsole;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code broker-service.console.*} binds as documented and refuses a value that cannot work, naming it. */
class ConsolePropertiesTests {

	@Test
	void defaultsAreThoseDocumented() {
		ConsoleProperties properties = bind(Map.of("broker-service.console.enabled", "true"));
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getPageSize()).isEqualTo(50);
		assertThat(properties.getLiveBufferSize()).isEqualTo(100);
		assertThat(properties.getPreviewBytes()).isEqualTo(256);
		assertThat(properties.getMaxWatches()).isEqualTo(8);
	}

	@Test
	void aSizeBelowOneIsRefusedNamingTheProperty() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("broker-service.console.live-buffer-size", "0")))
			.havingRootCause()
			.withMessage("broker-service.console.live-buffer-size must be at least 1, not 0");
	}

	private static ConsoleProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bind("broker-service.console", ConsoleProperties.class)
			.get();
	}

}
