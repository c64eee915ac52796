package dev.mqttboot.autoconfigure;

import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad property stops a real application at start-up with Spring Boot's failure report, written by our
 * registered failure analyzer.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void aBadBrokerPropertyPrintsAnActionableReport(CapturedOutput output) {
		assertThatException().isThrownBy(() -> TestBroker.start("mqtt.broker.connect-timeout=0s"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: mqtt.broker.connect-timeout")
			.contains("Set mqtt.broker.connect-timeout to a duration such as 10s");
	}

}
