package dev.mqttboot.client;

/**
 * A publish that did not complete: the broker did not acknowledge it, the connection failed, or the offline buffer
 * was full.
 */
public class MqttPublishException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what went wrong
	 * @param cause the underlying failure, or {@code null}
	 */
	public MqttPublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
