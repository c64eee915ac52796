package dev.mqttboot.broker.artemis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.RefusalReasons;
import dev.mqttboot.broker.TrafficCounter;
import dev.mqttboot.broker.Transport;
import dev.mqttboot.broker.protocol.ConnectDeadline;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;
import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.core.TopicSyntax;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.remoting.FailureListener;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what Artemis sees of MQTT connections into the starter's {@link BrokerEvent}s and client records: MQTT
 * interceptors for the packets (CONNECT/CONNACK, PUBLISH, SUBSCRIBE/SUBACK, UNSUBSCRIBE, DISCONNECT), a connection
 * plugin for the connections' start and end, and a failure listener for why one ended.
 */
final class ArtemisEvents implements ActiveMQServerConnectionPlugin {

	private static final Logger logger = LoggerFactory.getLogger(ArtemisEvents.class);

	private final Consumer<BrokerEvent> events;

	private final BrokerTraffic traffic;

	private final TrafficCounter trafficCounter;

	private final KeepAliveCeiling keepAliveCeiling;

	private final AccessPolicy policy;

	private final PacketRules rules;

	private final Duration connectTimeout;

	private final ConnectionLedger ledger;

	private final ReleaseOrder releaseOrder;

	private final Map<Object, ClientSession> sessions = new ConcurrentHashMap<>();

	ArtemisEvents(Consumer<BrokerEvent> events, BrokerTraffic traffic, Duration keepAliveCeiling, AccessPolicy policy,
			TopicLimits limits, int maxMessageSize, Duration connectTimeout, ReleaseOrder releaseOrder) {
		this.events = events;
		this.traffic = traffic;
		this.trafficCounter = new TrafficCounter(traffic);
		this.keepAliveCeiling = KeepAliveCeiling.of(keepAliveCeiling);
		this.policy = policy;
		this.rules = new PacketRules(limits, maxMessageSize);
		this.connectTimeout = connectTimeout;
		this.ledger = new ConnectionLedger(events);
		this.releaseOrder = releaseOrder;
	}

	private volatile ActiveMQServer server;

	@Override
	public void registered(ActiveMQServer server) {
		this.server = server;
		// Called while the server starts, before its acceptors do: no connection is missed.
		server.getRemotingService().addIncomingInterceptor((MQTTInterceptor) this::incoming);
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	/** @return the clients the broker accepted and that are still connected */
	List<ConnectedClient> connectedClients() {
		return this.ledger.list();
	}

	/** Mark the connections of a client as ended by the broker, before the broker closes them. */
	void endingByServer(String clientId) {
		this.ledger.endingByServer(clientId);
	}

	@Override
	public void afterCreateConnection(RemotingConnection connection) {
		Channel channel = MqttSessions.clientChannel(connection);
		if (channel == null) {
			// A cluster link: no MQTT client, no CONNECT to wait for. Held to the CONNECT deadline below, each was
			// closed 10 s after it opened, and the cluster kept reporting its nodes down and up again.
			return;
		}
		ClientSession session = new ClientSession(address(channel.remoteAddress()), transport(channel), channel);
		this.sessions.put(connection.getID(), session);
		channel.pipeline().addFirst("mqttboot-traffic", (ChannelHandler) this.trafficCounter);
		ConnectDeadline.arm(channel, this.connectTimeout, () -> session.protocolLevel != 0,
				() -> logger.debug("Closing MQTT connection {}: no complete CONNECT within {}", channel.remoteAddress(),
						this.connectTimeout));
		connection.addFailureListener(new FailureListener() {
			@Override
			public void connectionFailed(ActiveMQException exception, boolean failedOver) {
				session.ending((exception.getType() == ActiveMQExceptionType.CONNECTION_TIMEDOUT)
						? BrokerEvent.DisconnectReason.KEEPALIVE : BrokerEvent.DisconnectReason.LOST);
				// A connection closed for keep-alive expiry never reaches afterDestroyConnection.
				ended(connection);
			}

			@Override
			public void connectionFailed(ActiveMQException exception, boolean failedOver,
					String scaleDownTargetNodeID) {
				connectionFailed(exception, failedOver);
			}
		});
	}

	@Override
	public void afterDestroyConnection(RemotingConnection connection) {
		ended(connection);
	}

	/** Report the end of a connection once, whichever of Artemis's callbacks comes first. */
	private void ended(RemotingConnection connection) {
		ClientSession session = this.sessions.remove(connection.getID());
		if (session != null && session.client != null) {
			this.ledger.closed(session.channel(), session.client.clientId());
		}
	}

	private boolean incoming(MqttMessage message, RemotingConnection connection) {
		ClientSession session = this.sessions.get(connection.getID());
		if (session == null) {
			return true;
		}
		MqttMessageType type = message.fixedHeader().messageType();
		// [MQTT-3.1.0-2] CONNECT only once: Artemis 2.53 processes a second one. (A first packet other than CONNECT,
		// [MQTT-3.1.0-1], never reaches MQTT: its bytes do not name the protocol, and UnrecognisedConnections closes it.)
		String violation = this.rules.sequence(type, session.protocolLevel != 0);
		if (violation == null && type != MqttMessageType.PUBLISH) {
			violation = this.rules.content(message, session.protocolLevel);
		}
		if (violation != null) {
			return violation(session, violation);
		}
		switch (type) {
			case CONNECT -> {
				MqttConnectMessage connect = (MqttConnectMessage) message;
				session.username = connect.payload().userName();
				session.willTopic = connect.variableHeader().isWillFlag() ? connect.payload().willTopic() : null;
				session.protocolLevel = connect.variableHeader().version();
				session.requestedKeepAlive = connect.variableHeader().keepAliveTimeSeconds();
				session.cleanSession = connect.variableHeader().isCleanSession();
			}
			case PUBLISH -> {
				MqttPublishMessage publish = (MqttPublishMessage) message;
				String topic = session.inboundTopic(publish);
				String problem = this.rules.publish(publish, topic, session.protocolLevel);
				if (problem != null) {
					return violation(session, problem);
				}
				this.events.accept(new BrokerEvent.MessagePublished(session.clientId(), topic,
						publish.fixedHeader().qosLevel().value(), publish.fixedHeader().isRetain(),
						publish.payload().readableBytes()));
			}
			case SUBSCRIBE -> {
				MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
				session.pendingSubscribes.put(subscribe.idAndPropertiesVariableHeader().messageId(),
						subscribe.payload().topicSubscriptions().stream().map(MqttTopicSubscription::topicFilter)
							.toList());
			}
			case UNSUBSCRIBE -> {
				MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
				for (String filter : unsubscribe.payload().topics()) {
					this.events.accept(new BrokerEvent.Unsubscribed(session.clientId(), filter));
				}
			}
			case DISCONNECT -> session.ending(BrokerEvent.DisconnectReason.CLIENT);
			case PUBCOMP -> {
				int packetId = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
				Long release = session.resentReleases.remove(packetId);
				if (release != null) {
					// The exchange was completed for Artemis, whose PUBREL consumer does not exist on this connection:
					// drop its pending PUBREL and its record of the packet id, or it fails on this PUBCOMP.
					forgetRelease(session.clientId(), packetId, release);
				}
			}
			default -> {
			}
		}
		return true;
	}

	private void forgetRelease(String clientId, int packetId, long messageId) {
		ActiveMQServer engine = this.server;
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

	private boolean outgoing(MqttMessage message, RemotingConnection connection) {
		ClientSession session = this.sessions.get(connection.getID());
		if (session == null) {
			return true;
		}
		switch (message.fixedHeader().messageType()) {
			case CONNACK -> {
				return connack((MqttConnAckMessage) message, connection, session);
			}
			case SUBACK -> {
				MqttSubAckMessage subAck = (MqttSubAckMessage) message;
				List<String> filters = session.pendingSubscribes
					.remove(subAck.idAndPropertiesVariableHeader().messageId());
				List<Integer> codes = subAck.payload().reasonCodes();
				if (filters != null) {
					for (int i = 0; i < filters.size() && i < codes.size(); i++) {
						if (codes.get(i) < 0x80) {
							this.events.accept(new BrokerEvent.Subscribed(session.clientId(), filters.get(i),
									codes.get(i)));
						}
					}
				}
			}
			case PUBLISH -> {
				return deliver((MqttPublishMessage) message, session);
			}
			case PUBREL -> {
				int packetId = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
				MqttMessage completion = session.withheld.release(packetId);
				if (completion != null) {
					this.releaseOrder.notSent(connection, packetId);
					// The client never saw this QoS 2 message: complete the exchange for it.
					session.answerForClient(completion);
					return false;
				}
			}
			case DISCONNECT -> session.ending(BrokerEvent.DisconnectReason.SERVER);
			default -> {
			}
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
		MQTTSessionState state = MqttSessions.state(this.server, session.clientId());
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
	 * Write a message to a subscriber unless a deny rule withholds its topic from this client, or no subscription of
	 * the client may carry it (a retained {@code $} message replayed to {@code #}); a withheld QoS 1/2
	 * message is acknowledged for the client, so Artemis does not keep it in flight forever.
	 */
	private boolean deliver(MqttPublishMessage publish, ClientSession session) {
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
		this.traffic.countDelivered(publish.fixedHeader().qosLevel().value());
		return true;
	}

	private boolean violation(ClientSession session, String violation) {
		this.ledger.violation(session.channel(),
				new BrokerEvent.ProtocolViolation(session.clientId(), session.remoteAddress, violation));
		return false;
	}

	private boolean connack(MqttConnAckMessage connAck, RemotingConnection connection, ClientSession session) {
		MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
		if (code == MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED) {
			// Artemis answers failed credentials on MQTT 3.1.1 with 5 (not authorized); the code for them is 4, as
			// Moquette and Mosquitto send, and what clients report as "bad user name or password".
			this.ledger.refused(new BrokerEvent.ConnectionRefused(connection.getClientID(), session.remoteAddress,
					BrokerEvent.RefusalReason.BAD_CREDENTIALS));
			session.write(MqttMessageBuilders.connAck()
				.returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD)
				.sessionPresent(false)
				.build());
			return false;
		}
		if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			ConnectedClient client = session.accept(connection.getClientID(), keepAliveInEffect(connAck, session));
			this.ledger.connected(session.channel(), client);
			if (session.willTopic != null
					&& !this.policy.allowsWill(session.willTopic, session.username, client.clientId())) {
				dropWill(client.clientId());
				this.policy.willDenied(session.willTopic, session.username, client.clientId());
			}
			Map<Integer, Long> releases = connAck.variableHeader().isSessionPresent()
					? pendingReleases(client.clientId()) : Map.of();
			if (!releases.isEmpty()) {
				// [MQTT-4.4.0-1] PUBREL is resent on reconnect too; Artemis 2.53 resends it only once the client sends
				// another PUBREC. Write the CONNACK here, then the PUBRELs, in this order.
				List<MqttMessage> packets = new ArrayList<>();
				packets.add(connAck);
				session.resentReleases.putAll(releases);
				for (int packetId : releases.keySet()) {
					packets.add(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false,
							MqttQoS.AT_LEAST_ONCE, false, 2), MqttMessageIdVariableHeader.from(packetId)));
				}
				session.write(packets);
				return false;
			}
		}
		else {
			this.ledger.refused(new BrokerEvent.ConnectionRefused(connection.getClientID(), session.remoteAddress,
					RefusalReasons.of(code)));
		}
		return true;
	}

	/**
	 * Take the will out of the session Artemis set up from the CONNECT (the CONNACK is not out yet, so the connection
	 * cannot have ended): Artemis would check it only when publishing, and count and log it as a failed publish.
	 */
	private void dropWill(String clientId) {
		MQTTSessionState state = MqttSessions.state(this.server, clientId);
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
		ActiveMQServer engine = this.server;
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

	private int keepAliveInEffect(MqttConnAckMessage connAck, ClientSession session) {
		MqttProperties.MqttProperty<?> serverKeepAlive = connAck.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value());
		if (serverKeepAlive != null && serverKeepAlive.value() instanceof Integer seconds) {
			return seconds;
		}
		return this.keepAliveCeiling.inEffect(session.requestedKeepAlive);
	}

	private static InetSocketAddress address(SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? inet : null;
	}

	private static Transport transport(Channel channel) {
		boolean tls = channel.pipeline().get(SslHandler.class) != null;
		boolean websocket = channel.pipeline().names().stream().anyMatch((name) -> name.toLowerCase().contains("websocket"));
		if (websocket) {
			return tls ? Transport.WEBSOCKET_SSL : Transport.WEBSOCKET;
		}
		return tls ? Transport.MQTT_SSL : Transport.MQTT;
	}

}
