package dev.mqttboot.listener;

/**
 * When a listener's QoS 1 and 2 messages are acknowledged to the broker.
 */
public enum AckMode {

	/**
	 * After the listener method has returned (or its failure has been handled): a crash mid-processing leads to
	 * redelivery, so processing is at-least-once.
	 */
	AFTER_PROCESSING,

	/** As soon as the message is received: faster, but a crash mid-processing loses it (at-most-once). */
	ON_RECEIPT

}
