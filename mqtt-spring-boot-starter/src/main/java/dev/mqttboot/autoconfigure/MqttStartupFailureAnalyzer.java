package dev.mqttboot.autoconfigure;

import dev.mqttboot.core.MqttConfigurationException;

import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.client.ClientStartException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import org.jspecify.annotations.Nullable;

/**
 * Explains why the embedded broker or a client connection could not start, naming the property at fault and what
 * it accepts.
 */
class MqttStartupFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BrokerStartException broker) {
				return analysis("The embedded MQTT broker could not start.", broker, broker.getProperty(),
						broker.getAction());
			}
			if (cause instanceof ClientStartException client) {
				return analysis("An MQTT client connection could not be configured.", client, client.getProperty(),
						client.getAction());
			}
			if (cause instanceof MqttConfigurationException configuration) {
				return analysis("MQTT could not be configured.", configuration, configuration.getProperty(),
						configuration.getAction());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static FailureAnalysis analysis(String summary, Throwable cause, String property, String action) {
		StringBuilder description = new StringBuilder(summary).append("\n\nReason: ").append(cause.getMessage());
		if (property != null) {
			description.append("\nProperty: ").append(property);
		}
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
