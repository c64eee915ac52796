package dev.mqttboot.client;

import java.util.concurrent.CompletableFuture;

/**
 * A subscription made on a client connection. It is restored after every reconnect until it is cancelled.
 */
public interface MqttSubscription {

	/**
	 * The topic filter.
	 * @return the filter as subscribed
	 */
	String topicFilter();

	/**
	 * The QoS requested.
	 * @return 0, 1 or 2
	 */
	int qos();

	/**
	 * The broker's answer (SUBACK) to this subscription on the connection as it is now: completed at once when the
	 * broker has answered on the current connection, else when it does, after the next connect if the connection is
	 * down. Each call asks afresh; cancelling the future only stops that caller's wait.
	 * @return a future of the granted QoS (0 to 2), or of the reason code (0x80 and above) when the broker refused;
	 * completed exceptionally when the subscription is cancelled before the broker answers
	 */
	CompletableFuture<Integer> answered();

	/**
	 * Unsubscribe and stop restoring this subscription.
	 */
	void cancel();

}
