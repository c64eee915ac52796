package dev.mqttboot.listener;

import dev.mqttboot.client.ReceivedMessage;

/**
 * Handles a message a listener could not process (it threw, or the payload could not be converted), after any
 * retries. The subscription and the other listeners carry on either way. When it returns, the message counts as dealt
 * with and is acknowledged; when it throws, the message is left unacknowledged and the broker delivers it again
 * (after a reconnect, or sooner with {@code mqtt.broker.moquette.redelivery-interval} on the embedded broker).
 */
@FunctionalInterface
public interface MqttListenerErrorHandler {

	/**
	 * Handle one failure.
	 * @param listenerId the listener's id
	 * @param message the message
	 * @param error what went wrong
	 */
	void handleError(String listenerId, ReceivedMessage message, Throwable error) throws Exception;

}
