package dev.mqttboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Part of MQTT could not be set up from its configuration. {@link #getProperty()} names the property at fault and
 * {@link #getAction()} says what to do, for the start-up failure report.
 */
public class MqttConfigurationException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Create an exception about a configuration property.
	 * @param property the property name, e.g. {@code mqtt.listener.queue-capacity}, or {@code null}
	 * @param message what is wrong
	 * @param action what the user can do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public MqttConfigurationException(String property, String message, String action, @Nullable Throwable cause) {
		super(message, cause);
		this.property = property;
		this.action = action;
	}

	/**
	 * The configuration property at fault.
	 * @return the property name, or {@code null}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What the user can do to fix it.
	 * @return the suggested action
	 */
	public String getAction() {
		return this.action;
	}

}
