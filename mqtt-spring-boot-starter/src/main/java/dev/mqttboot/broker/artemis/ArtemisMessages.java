package dev.mqttboot.broker.artemis;

import dev.mqttboot.broker.BrokerMessage;

import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;

/**
 * Core messages in the shape Artemis's MQTT layer gives an MQTT PUBLISH (payload in the body, QoS and RETAIN in
 * properties), both ways.
 */
final class ArtemisMessages {

	private ArtemisMessages() {
	}

	/**
	 * A core message as the MQTT layer makes one from a PUBLISH.
	 * @param id a new message id from the storage manager
	 * @param address the topic's core address
	 * @param message the MQTT message
	 * @return the core message, durable from QoS 1 on
	 */
	static CoreMessage fromBrokerMessage(long id, String address, BrokerMessage message) {
		CoreMessage core = new CoreMessage(id, message.payload().length + 64);
		core.setAddress(address);
		core.setType(Message.BYTES_TYPE);
		core.setRoutingType(RoutingType.MULTICAST);
		core.setDurable(message.qos() > 0);
		core.setTimestamp(System.currentTimeMillis());
		core.putBooleanProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_KEY, message.retained());
		core.putIntProperty(MQTTUtil.MQTT_QOS_LEVEL_KEY, message.qos());
		core.getBodyBuffer().writeBytes(message.payload());
		return core;
	}

	/**
	 * The MQTT message a core message carries.
	 * @param topic its MQTT topic
	 * @param message the core message
	 * @param retained the RETAIN flag to report
	 * @return the message
	 */
	static BrokerMessage toBrokerMessage(String topic, Message message, boolean retained) {
		return new BrokerMessage(topic, payload(message), qos(message), retained);
	}

	/** @return a copy of the message's payload (an MQTT message's payload is the body of its core message) */
	static byte[] payload(Message message) {
		ActiveMQBuffer body = message.toCore().getReadOnlyBodyBuffer();
		byte[] payload = new byte[body.readableBytes()];
		body.readBytes(payload);
		return payload;
	}

	/** @return the QoS the message was published at (0 for one that did not come from MQTT) */
	static int qos(Message message) {
		return message.containsProperty(MQTTUtil.MQTT_QOS_LEVEL_KEY)
				? message.getIntProperty(MQTTUtil.MQTT_QOS_LEVEL_KEY) : 0;
	}

}
