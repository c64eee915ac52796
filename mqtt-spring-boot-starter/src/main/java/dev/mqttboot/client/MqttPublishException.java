package dev.mqttboot.client;

import org.jspecify.annotations.Nullable;

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
	public MqttPublishException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
