package dev.mqttboot.broker.protocol;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

import org.jspecify.annotations.Nullable;

/**
 * The acknowledgements the broker writes on behalf of one side of an exchange that it ends itself: a PUBLISH the
 * access rules refuse is acknowledged to its publisher and dropped (other brokers do the same; left unanswered, it
 * would hold the publisher's in-flight window for good), and a delivery a deny rule withholds is acknowledged to the
 * engine as if the subscriber had. QoS 1 takes one PUBACK; QoS 2 a PUBREC now and, when the PUBREL comes, a PUBCOMP,
 * so the packet ids are remembered until then. One instance per connection; safe to use from several threads (Artemis
 * delivers to one client from more than one).
 */
public final class AnsweredExchanges {

	/** QoS 2 packet ids answered with PUBREC, awaiting their PUBREL. */
	private final Set<Integer> awaitingRelease = ConcurrentHashMap.newKeySet();

	/**
	 * Answer a PUBLISH that will not go further.
	 * @param qos its QoS
	 * @param packetId its packet id
	 * @return PUBACK (QoS 1), PUBREC (QoS 2), or {@code null} for QoS 0, which takes no answer
	 */
	public @Nullable MqttMessage answer(int qos, int packetId) {
		if (qos == 1) {
			return acknowledgement(MqttMessageType.PUBACK, packetId);
		}
		if (qos == 2) {
			this.awaitingRelease.add(packetId);
			return acknowledgement(MqttMessageType.PUBREC, packetId);
		}
		return null;
	}

	/**
	 * Complete a QoS 2 exchange answered here.
	 * @param packetId the packet id of a PUBREL
	 * @return the PUBCOMP for it when the exchange was answered here, otherwise {@code null} (it goes on as usual)
	 */
	public @Nullable MqttMessage release(int packetId) {
		if (this.awaitingRelease.remove(packetId)) {
			return acknowledgement(MqttMessageType.PUBCOMP, packetId);
		}
		return null;
	}

	/**
	 * @param type PUBACK, PUBREC, PUBREL or PUBCOMP
	 * @param packetId the packet id
	 * @return the acknowledgement
	 */
	public static MqttMessage acknowledgement(MqttMessageType type, int packetId) {
		MqttQoS qos = (type == MqttMessageType.PUBREL) ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
		MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 2);
		// The type Netty's decoder gives a PUBACK, which an engine handed one as if from the client casts to.
		return (type == MqttMessageType.PUBACK)
				? new MqttPubAckMessage(header, MqttMessageIdVariableHeader.from(packetId))
				: new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId));
	}

}
