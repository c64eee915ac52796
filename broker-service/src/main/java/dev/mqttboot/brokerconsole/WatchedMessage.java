package dev.mqttboot.brokerconsole;

import java.time.Instant;

import dev.mqttboot.broker.BrokerMessage;

/**
 * A message as a live watch sends it to the page (as JSON: the page writes each field as text, never as markup).
 *
 * @param topic the topic
 * @param qos the QoS it was published at
 * @param retained its RETAIN flag
 * @param payload its preview
 * @param seenAt when the broker handed it to the watch
 */
public record WatchedMessage(String topic, int qos, boolean retained, PayloadPreview payload, Instant seenAt) {

	static WatchedMessage of(BrokerMessage message, int previewBytes) {
		return new WatchedMessage(message.topic(), message.qos(), message.retained(),
				PayloadPreview.of(message.payload(), previewBytes), Instant.now());
	}

}
