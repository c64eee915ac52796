package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.BrokerStartException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why the embedded broker could not start, naming the property at fault and what it accepts.
 */
class BrokerStartFailureAnalyzer extends AbstractFailureAnalyzer<BrokerStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BrokerStartException cause) {
		StringBuilder description = new StringBuilder("The embedded MQTT broker could not start.\n\n");
		description.append("Reason: ").append(cause.getMessage());
		if (cause.getProperty() != null) {
			description.append("\nProperty: ").append(cause.getProperty());
		}
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
