package dev.mqttboot.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishing to MQTT. Payloads may be {@code byte[]}, {@code String} (UTF-8), or any object, converted to JSON by
 * Spring's message converters (Jackson as the application configures it).
 */
public interface MqttOperations {

	/**
	 * Publish at the connection's default QoS, not retained.
	 * @param topic the topic name (no wildcards)
	 * @param payload the payload
	 * @return a future completed when the broker acknowledges (QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP)
	 * @throws IllegalArgumentException when the topic, QoS, payload or options are invalid (nothing is sent)
	 */
	CompletableFuture<Void> publish(String topic, Object payload);

	/**
	 * Publish with options.
	 * @param topic the topic name (no wildcards)
	 * @param payload the payload
	 * @param options QoS, retained and MQTT 5 properties
	 * @return a future completed when the broker acknowledges, or failed with {@link MqttPublishException}
	 * @throws IllegalArgumentException when the topic, QoS, payload or options are invalid (nothing is sent)
	 */
	CompletableFuture<Void> publish(String topic, Object payload, PublishOptions options);

	/**
	 * Publish and wait for the acknowledgement.
	 * @param topic the topic name
	 * @param payload the payload
	 * @param options QoS, retained and MQTT 5 properties
	 * @param timeout how long to wait
	 * @throws MqttPublishException when the publish fails or is not acknowledged in time
	 */
	void publishAndWait(String topic, Object payload, PublishOptions options, Duration timeout);

	/**
	 * The same operations on another named connection ({@code mqtt.clients.<name>}).
	 * @param connectionName the connection name
	 * @return operations publishing through that connection
	 * @throws IllegalArgumentException when there is no such connection
	 */
	MqttOperations forClient(String connectionName);

}
