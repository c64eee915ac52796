package dev.mqttboot.broker;

import dev.mqttboot.core.MqttConfigurationException;

import org.jspecify.annotations.Nullable;

/**
 * The broker could not start. When the cause is a configuration property, {@link #getProperty()} names it.
 */
public class BrokerStartException extends MqttConfigurationException {

	/**
	 * Create an exception about a configuration property.
	 * @param property the property name, e.g. {@code mqtt.broker.port}
	 * @param message what is wrong
	 * @param action what the user can do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public BrokerStartException(String property, String message, String action, @Nullable Throwable cause) {
		super(property, message, action, cause);
	}

	/**
	 * The SSL bundle of the TLS listeners cannot be served.
	 * @param cause what is wrong with it
	 * @return the exception, naming {@code mqtt.broker.ssl.bundle}
	 */
	public static BrokerStartException unusableSslBundle(Exception cause) {
		return new BrokerStartException("mqtt.broker.ssl.bundle",
				"The SSL bundle for the broker's TLS listeners cannot be used: " + cause.getMessage(),
				"Give the bundle a private key and the certificate chain that belongs to it (spring.ssl.bundle.*)",
				cause);
	}

}
