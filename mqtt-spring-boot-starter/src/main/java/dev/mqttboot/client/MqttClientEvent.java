package dev.mqttboot.client;

import java.time.Duration;

/**
 * Lifecycle events of client connections, published as Spring application events (listen with
 * {@code @EventListener} on the record type). {@link #connection()} is the configured connection name.
 */
public sealed interface MqttClientEvent {

	/**
	 * The connection name.
	 * @return the name
	 */
	String connection();

	/**
	 * The connection is up.
	 * @param connection the connection name
	 * @param url the broker URL
	 * @param sessionPresent whether the broker resumed a stored session
	 */
	record Connected(String connection, String url, boolean sessionPresent) implements MqttClientEvent {
	}

	/**
	 * The connection went down (or a connect attempt failed); a reconnect follows.
	 * @param connection the connection name
	 * @param cause why
	 */
	record ConnectionLost(String connection, Throwable cause) implements MqttClientEvent {
	}

	/**
	 * A reconnect is scheduled.
	 * @param connection the connection name
	 * @param attempt the attempt number, from 1
	 * @param delay the delay before it
	 */
	record ReconnectAttempt(String connection, int attempt, Duration delay) implements MqttClientEvent {
	}

	/**
	 * The broker granted a subscription.
	 * @param connection the connection name
	 * @param topicFilter the filter
	 * @param qos the QoS granted
	 */
	record SubscriptionGranted(String connection, String topicFilter, int qos) implements MqttClientEvent {
	}

	/**
	 * The broker refused a subscription.
	 * @param connection the connection name
	 * @param topicFilter the filter
	 * @param reasonCode the broker's reason code (0x80 on MQTT 3.1.1)
	 */
	record SubscriptionRefused(String connection, String topicFilter, int reasonCode) implements MqttClientEvent {
	}

	/**
	 * The broker acknowledged a publish (QoS 0: written).
	 * @param connection the connection name
	 * @param topic the topic
	 * @param qos the QoS
	 * @param elapsed from publish to acknowledgement
	 */
	record MessageDelivered(String connection, String topic, int qos, Duration elapsed) implements MqttClientEvent {
	}

}
