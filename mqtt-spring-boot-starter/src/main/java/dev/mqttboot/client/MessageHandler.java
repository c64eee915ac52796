package dev.mqttboot.client;

/**
 * Receives the messages of a subscription and acknowledges each one when it is done with it: a QoS 1 or 2 message is
 * acknowledged to the broker only once every handler it was given to has called {@link Runnable#run()} on its
 * acknowledgement. Until then the broker keeps it, and redelivers it if the connection dies: at-least-once
 * processing.
 */
@FunctionalInterface
public interface MessageHandler {

	/**
	 * Handle one message.
	 * @param message the message
	 * @param acknowledgement to run exactly once when the message has been processed (from any thread)
	 */
	void handle(ReceivedMessage message, Runnable acknowledgement);

}
