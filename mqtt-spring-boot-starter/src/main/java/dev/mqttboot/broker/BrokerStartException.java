package dev.mqttboot.broker;

/**
 * The broker could not start. When the cause is a configuration property, {@link #getProperty()} names it.
 */
public class BrokerStartException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Create an exception about a configuration property.
	 * @param property the property name, e.g. {@code mqtt.broker.port}
	 * @param message what is wrong
	 * @param action what the user can do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public BrokerStartException(String property, String message, String action, Throwable cause) {
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
