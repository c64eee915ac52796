package dev.mqttboot.client;

/**
 * A client connection cannot be set up from its configuration; {@link #getProperty()} names the property at fault.
 */
public class ClientStartException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Create an exception about a configuration property.
	 * @param property the property name, e.g. {@code mqtt.client.url}
	 * @param message what is wrong
	 * @param action what the user can do about it
	 */
	public ClientStartException(String property, String message, String action) {
		super(message);
		this.property = property;
		this.action = action;
	}

	/**
	 * The configuration property at fault.
	 * @return the property name
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
