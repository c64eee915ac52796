package dev.mqttboot.client;

import dev.mqttboot.core.MqttConfigurationException;

/**
 * A client connection cannot be set up from its configuration; {@link #getProperty()} names the property at fault.
 */
public class ClientStartException extends MqttConfigurationException {

	/**
	 * Create an exception about a configuration property.
	 * @param property the property name, e.g. {@code mqtt.client.url}
	 * @param message what is wrong
	 * @param action what the user can do about it
	 */
	public ClientStartException(String property, String message, String action) {
		super(property, message, action, null);
	}
}
