package dev.mqttboot.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Observes a connection's traffic, synchronously and cheaply (metrics use it; application code can listen to
 * {@link MqttClientEvent}s instead). Implementations must be quick and must not throw.
 */
public interface ConnectionObserver {

	/**
	 * A publish completed.
	 * @param connection the connection
	 * @param qos its QoS
	 * @param elapsed from publish to acknowledgement (or failure)
	 * @param failure why it failed, or {@code null} when the broker acknowledged it
	 */
	default void published(MqttConnection connection, int qos, Duration elapsed, @Nullable Throwable failure) {
	}

	/**
	 * A message arrived.
	 * @param connection the connection
	 * @param qos the QoS it was delivered at
	 */
	default void received(MqttConnection connection, int qos) {
	}

	/**
	 * The connection came up.
	 * @param connection the connection
	 * @param reconnect whether it had been up before
	 */
	default void connected(MqttConnection connection, boolean reconnect) {
	}

	/**
	 * The connection went down.
	 * @param connection the connection
	 */
	default void connectionLost(MqttConnection connection) {
	}

}
