package dev.mqttboot.listener;

import dev.mqttboot.client.ReceivedMessage;

/**
 * Handles a message a listener could not process (it threw, or the payload could not be converted). The subscription
 * and the other listeners carry on either way.
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

	/**
	 * Handle one failure.
	 * @param listenerId the listener's id
	 * @param message the message
	 * @param error what went wrong
	 */
	void handleError(String listenerId, ReceivedMessage message, Throwable error);

}
