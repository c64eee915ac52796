package dev.mqttboot.broker.protocol;

import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.core.TopicSyntax;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.jspecify.annotations.Nullable;

/**
 * What a client may send, checked before a packet reaches the engine. Each check answers {@code null} when the packet
 * is acceptable, or the violation, worded for the log and the {@code ProtocolViolation} event; a violation closes that
 * client's connection and nothing else:
 * <ul>
 * <li>the first packet is CONNECT [MQTT-3.1.0-1], and there is only one [MQTT-3.1.0-2];</li>
 * <li>a will has a QoS of 0 to 2 and a valid topic name; without a will, will QoS and will retain are 0
 * [MQTT-3.1.2-13, -15];</li>
 * <li>topic names and filters are valid and within the configured depth and length [MQTT-4.7];</li>
 * <li>PUBLISH is at QoS 0 to 2, and, for MQTT 3.1.1, within the largest packet accepted;</li>
 * <li>SUBSCRIBE asks for QoS 0 to 2 [MQTT-3.8.3-4];</li>
 * <li>a client sends no packet only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP), and AUTH only over
 * MQTT 5.</li>
 * </ul>
 */
public final class PacketRules {

	private final TopicLimits limits;

	private final int maxMessageSize;

	/**
	 * @param limits the topic limits
	 * @param maxMessageSize the largest packet accepted, in bytes
	 */
	public PacketRules(TopicLimits limits, int maxMessageSize) {
		this.limits = limits;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Where a packet may come in a connection's sequence.
	 * @param type the packet's type
	 * @param connectReceived whether this connection has already sent its CONNECT
	 * @return the violation, or {@code null}
	 */
	public @Nullable String sequence(MqttMessageType type, boolean connectReceived) {
		if (type == MqttMessageType.CONNECT) {
			return connectReceived ? "second CONNECT on one connection" : null;
		}
		if (!connectReceived) {
			return "first packet is " + type + ", not CONNECT";
		}
		return switch (type) {
			case CONNACK, SUBACK, UNSUBACK, PINGRESP -> type + " is not sent by clients";
			default -> null;
		};
	}

	/**
	 * @param connect a CONNECT
	 * @return the violation in its will, or {@code null}
	 */
	public @Nullable String connect(MqttConnectMessage connect) {
		MqttConnectVariableHeader header = connect.variableHeader();
		if (!header.isWillFlag()) {
			return (header.willQos() != 0 || header.isWillRetain()) ? "will QoS or will retain set without a will"
					: null;
		}
		if (header.willQos() < 0 || header.willQos() > 2) {
			return "will QoS " + header.willQos();
		}
		String problem = TopicSyntax.checkName(connect.payload().willTopic(), this.limits);
		return (problem != null) ? "invalid will topic: " + problem : null;
	}

	/**
	 * @param publish a PUBLISH
	 * @param topic its topic (MQTT 5: after resolving a topic alias; empty when an alias stands for it)
	 * @param protocolLevel the connection's protocol level (4 for MQTT 3.1.1, 5 for MQTT 5)
	 * @return the violation, or {@code null}
	 */
	public @Nullable String publish(MqttPublishMessage publish, String topic, int protocolLevel) {
		if (publish.fixedHeader().qosLevel() == MqttQoS.FAILURE) {
			return "PUBLISH with QoS 3";
		}
		// An empty topic name is MQTT 5's way of using a topic alias; in MQTT 3.1.1 it is invalid.
		String problem = (topic.isEmpty() && protocolLevel >= 5) ? null : TopicSyntax.checkName(topic, this.limits);
		if (problem != null) {
			return "invalid PUBLISH '" + topic + "': " + problem;
		}
		if (protocolLevel < 5 && publish.fixedHeader().remainingLength() + 5 > this.maxMessageSize) {
			return "PUBLISH of " + publish.fixedHeader().remainingLength()
					+ " bytes is over mqtt.broker.max-message-size";
		}
		return null;
	}

	/**
	 * @param subscribe a SUBSCRIBE
	 * @return the violation in one of its subscriptions, or {@code null}
	 */
	public @Nullable String subscribe(MqttSubscribeMessage subscribe) {
		for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
			String problem = TopicSyntax.checkFilter(subscription.topicFilter(), this.limits);
			if (problem == null && subscription.qualityOfService() == MqttQoS.FAILURE) {
				problem = "requested QoS is not 0, 1 or 2";
			}
			if (problem != null) {
				return "invalid SUBSCRIBE '" + subscription.topicFilter() + "': " + problem;
			}
		}
		return null;
	}

	/**
	 * @param unsubscribe an UNSUBSCRIBE
	 * @return the violation in one of its filters, or {@code null}
	 */
	public @Nullable String unsubscribe(MqttUnsubscribeMessage unsubscribe) {
		for (String filter : unsubscribe.payload().topics()) {
			String problem = TopicSyntax.checkFilter(filter, this.limits);
			if (problem != null) {
				return "invalid UNSUBSCRIBE '" + filter + "': " + problem;
			}
		}
		return null;
	}

	/**
	 * The content checks of a packet sent after CONNECT, by its type (PUBLISH with its own topic, as MQTT 3.1.1
	 * carries it).
	 * @param message a packet
	 * @param protocolLevel the connection's protocol level
	 * @return the violation, or {@code null}
	 */
	public @Nullable String content(MqttMessage message, int protocolLevel) {
		return switch (message.fixedHeader().messageType()) {
			case PUBLISH -> {
				MqttPublishMessage publish = (MqttPublishMessage) message;
				yield publish(publish, publish.variableHeader().topicName(), protocolLevel);
			}
			case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message);
			case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message);
			case CONNECT -> connect((MqttConnectMessage) message);
			case AUTH -> (protocolLevel < 5) ? "AUTH is an MQTT 5 packet" : null;
			default -> null;
		};
	}

}
