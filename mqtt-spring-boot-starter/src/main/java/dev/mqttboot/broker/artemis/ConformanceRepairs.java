package dev.mqttboot.broker.artemis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.RefusalReasons;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.core.TopicSyntax;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Artemis 2.53's MQTT packets depart from MQTT, or from the access rules, this mends them on their way to or
 * from the client; {@link ArtemisEvents} calls it from its interceptors. Each method answers whether the packet goes
 * on as Artemis made it:
 * <ul>
 * <li>CONNACK: failed credentials get return code 4 on MQTT 3.1.1 (Artemis sends 5), a will the access rules refuse is
 * taken out of the session, and a reconnecting session's pending PUBRELs follow the CONNACK at once
 * [MQTT-4.4.0-1];</li>
 * <li>PUBLISH to a subscriber: a topic a deny rule withholds, or a retained {@code $} message replayed to a filter
 * starting with a wildcard [MQTT-4.7.2-1], is not sent, and is acknowledged for the client;</li>
 * <li>PUBREL of a withheld QoS 2 message, and PUBCOMP of a PUBREL resent here: the exchange is completed for the
 * side that never saw it.</li>
 * </ul>
 */
final class ConformanceRepairs {

	private static final Logger logger = LoggerFactory.getLogger(ConformanceRepairs.class);

	private final BrokerTraffic traffic;

	private final AccessPolicy policy;

	private final ReleaseOrder releaseOrder;

	private final Supplier<ActiveMQServer> server;

	ConformanceRepairs(BrokerTraffic traffic, AccessPolicy policy, ReleaseOrder releaseOrder,
			Supplier<ActiveMQServer> server) {
		this.traffic = traffic;
		this.policy = policy;
		this.releaseOrder = releaseOrder;
		this.server = server;
	}

	/**
	 * Why Artemis refused a CONNECT: it answers failed credentials on MQTT 3.1.1 with 5 (not authorized), which
	 * {@link #connack} rewrites to 4.
	 * @param code the return code Artemis sent
	 * @return the reason
	 */
	static BrokerEvent.RefusalReason refusalReason(MqttConnectReturnCode code) {
		return (code == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED)
				? BrokerEvent.RefusalReason.BAD_CREDENTIALS : RefusalReasons.of(code);
	}

	/**
	 * @param connAck the CONNACK Artemis is sending
	 * @param session the client's session
	 * @return whether it goes out as it is (otherwise it was written here, mended)
	 */
	boolean connack(MqttConnAckMessage connAck, ClientSession session) {
		MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
		if (code == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED) {
			// Artemis answers failed credentials on MQTT 3.1.1 with 5 (not authorized); the code for them is 4, as
			// Moquette and Mosquitto send, and what clients report as "bad user name or password".
			session.write(MqttMessageBuilders.connAck()
				.returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD)
				.sessionPresent(false)
				.build());
			return false;
		}
		if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			return true;
		}
		ConnectedClient client = session.client;
		if (client == null) {
			return true;
		}
		String willTopic = session.willTopic;
		if (willTopic != null && !this.policy.allowsWill(willTopic, session.username, client.clientId())) {
			dropWill(client.clientId());
			this.policy.willDenied(willTopic, session.username, client.clientId());
		}
		Map<Integer, Long> releases = connAck.variableHeader().isSessionPresent()
				? pendingReleases(client.clientId()) : Map.of();
		if (releases.isEmpty()) {
			return true;
		}
		// [MQTT-4.4.0-1] PUBREL is resent on reconnect too; Artemis 2.53 resends it only once the client sends
		// another PUBREC. Write the CONNACK here, then the PUBRELs, in this order.
		List<MqttMessage> packets = new ArrayList<>();
		packets.add(connAck);
		session.resentReleases.putAll(releases);
		for (int packetId : releases.keySet()) {
			packets.add(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE,
					false, 2), MqttMessageIdVariableHeader.from(packetId)));
		}
		session.write(packets);
		return false;
	}

	/**
	 * @param session the client's session
	 * @param packetId the packet id of a PUBCOMP from the client
	 */
	void completed(ClientSession session, int packetId) {
		Long release = session.resentReleases.remove(packetId);
		String clientId = session.clientId();
		if (release != null && clientId != null) {
			// The exchange was completed for Artemis, whose PUBREL consumer does not exist on this connection: drop
			// its pending PUBREL and its record of the packet id, or it fails on this PUBCOMP.
			forgetRelease(clientId, packetId, release);
		}
	}

	/**
	 * @param connection the client's connection
	 * @param session the client's session
	 * @param packetId the packet id of a PUBREL Artemis is sending
	 * @return whether it goes out (not when its message was withheld: the exchange is completed for the client)
	 */
	boolean release(RemotingConnection connection, ClientSession session, int packetId) {
		MqttMessage completion = session.withheld.release(packetId);
		if (completion == null) {
			return true;
		}
		this.releaseOrder.notSent(connection, packetId);
		session.answerForClient(completion);
		return false;
	}

	/**
	 * Write a message to a subscriber unless a deny rule withholds its topic from this client, or no subscription of
	 * the client may carry it (a retained {@code $} message replayed to {@code #}); a withheld QoS 1/2
	 * message is acknowledged for the client, so Artemis does not keep it in flight forever.
	 */
	boolean deliver(MqttPublishMessage publish, ClientSession session) {
		String topic = session.outboundTopic(publish);
		ConnectedClient client = session.client;
		boolean denied = client != null && this.policy.deniesRead(topic, client.username(), client.clientId());
		if (denied || (client != null && TopicSyntax.isDollarTopic(topic) && !subscribedTo(session, topic))) {
			if (denied) {
				this.traffic.countDropped(BrokerTraffic.DropReason.ACCESS_DENIED);
			}
			MqttMessage answer = session.withheld.answer(publish.fixedHeader().qosLevel().value(),
					publish.variableHeader().packetId());
			if (answer != null) {
				session.answerForClient(answer);
			}
			return false;
		}
		return true;
	}

	/**
	 * Whether one of the client's subscriptions matches a {@code $} topic the MQTT way ([MQTT-4.7.2-1]: not through a
	 * filter starting with a wildcard). Artemis 2.53 keeps to the rule for live messages, but replays retained
	 * {@code $} messages to {@code #} subscribers.
	 */
	private boolean subscribedTo(ClientSession session, String topic) {
		// A retained message can be replayed while its SUBSCRIBE is being processed, before the session lists it.
		for (List<String> filters : session.pendingSubscribes.values()) {
			for (String filter : filters) {
				if (TopicSyntax.matches(MQTTUtil.decomposeSharedSubscriptionTopicFilter(filter).getB(), topic)) {
					return true;
				}
			}
		}
		MQTTSessionState state = MqttSessions.state(this.server.get(), session.clientId());
		if (state == null) {
			return true;
		}
		for (MqttTopicSubscription subscription : state.getSubscriptions()) {
			String filter = MQTTUtil.decomposeSharedSubscriptionTopicFilter(subscription.topicFilter()).getB();
			if (TopicSyntax.matches(filter, topic)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Take the will out of the session Artemis set up from the CONNECT (the CONNACK is not out yet, so the connection
	 * cannot have ended): Artemis would check it only when publishing, and count and log it as a failed publish.
	 */
	private void dropWill(String clientId) {
		MQTTSessionState state = MqttSessions.state(this.server.get(), clientId);
		if (state != null) {
			state.setWill(false);
			state.setWillRetain(false);
		}
		else {
			// Left in place, Artemis checks the will against the same rules when it publishes it, and drops it.
			logger.debug("No session state of '{}' to take the refused will out of", clientId);
		}
	}

	/**
	 * @return the QoS 2 exchanges whose PUBREL the client still owes a PUBCOMP for: packet id to the id of Artemis's
	 * message that holds the pending PUBREL
	 */
	private Map<Integer, Long> pendingReleases(String clientId) {
		ActiveMQServer engine = this.server.get();
		Queue releases = (engine != null)
				? engine.locateQueue(SimpleString.of(MQTTUtil.QOS2_MANAGEMENT_QUEUE_PREFIX + clientId)) : null;
		if (releases == null) {
			return Map.of();
		}
		Map<Integer, Long> pending = new java.util.LinkedHashMap<>();
		try (LinkedListIterator<MessageReference> references = releases.browserIterator()) {
			while (references.hasNext()) {
				org.apache.activemq.artemis.api.core.Message message = references.next().getMessage();
				Integer packetId = message.getIntProperty(MQTTUtil.MQTT_MESSAGE_ID_KEY);
				if (packetId != null) {
					pending.put(packetId, message.getMessageID());
				}
			}
		}
		return pending;
	}

	private void forgetRelease(String clientId, int packetId, long messageId) {
		ActiveMQServer engine = this.server.get();
		if (engine == null) {
			return;
		}
		try {
			MQTTSessionState state = MQTTStateManager.getInstance(engine).getSessionStates().get(clientId);
			if (state != null) {
				state.getOutboundStore().publishComplete(packetId);
			}
			Queue releases = engine.locateQueue(SimpleString.of(MQTTUtil.QOS2_MANAGEMENT_QUEUE_PREFIX + clientId));
			if (releases != null) {
				releases.deleteReference(messageId);
			}
		}
		catch (Exception ex) {
			// Left in place, the PUBREL is sent once more on a later reconnect; the client answers it again.
		}
	}

}
