package dev.mqttboot.broker;

import java.util.Arrays;

import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.core.TopicSyntax;

/**
 * An application message as the broker holds it: published by the broker itself ({@link MqttBroker#publish}), seen
 * by a watch ({@link MqttBroker#watch}) or kept as a topic's retained message ({@link MqttBroker#retainedMessages}).
 *
 * @param topic the topic name (no wildcards)
 * @param payload the payload; empty is allowed (a retained empty message clears the topic's retained message)
 * @param qos the QoS it was published at, 0 to 2
 * @param retained whether the RETAIN flag is set
 */
public record BrokerMessage(String topic, byte[] payload, int qos, boolean retained) {

	/**
	 * Check the message.
	 * @throws IllegalArgumentException for a topic that is not a valid topic name (empty, with a wildcard...) or a QoS
	 * outside 0 to 2
	 */
	public BrokerMessage {
		TopicSyntax.requireName(topic, TopicLimits.PROTOCOL);
		if (qos < 0 || qos > 2) {
			throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
		}
		payload = (payload != null) ? payload : new byte[0];
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof BrokerMessage that && this.topic.equals(that.topic) && this.qos == that.qos
				&& this.retained == that.retained && Arrays.equals(this.payload, that.payload);
	}

	@Override
	public int hashCode() {
		return 31 * this.topic.hashCode() + Arrays.hashCode(this.payload);
	}

	@Override
	public String toString() {
		return "BrokerMessage[topic=" + this.topic + ", qos=" + this.qos + ", retained=" + this.retained + ", "
				+ this.payload.length + " bytes]";
	}

}
