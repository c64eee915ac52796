package dev.mqttboot.client;

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
	 * Unsubscribe and stop restoring this subscription.
	 */
	void cancel();

}
