package dev.mqttboot.broker.artemis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.util.AttributeKey;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerBindingPlugin;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerSessionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent MQTT session belongs to the cluster, not to the node where it was made: a client that reconnects to
 * any node finds it there ({@code session present} 1, its subscriptions with their QoS, options and identifiers), and
 * what was queued for it follows.
 * <p>
 * Artemis keeps a session's state, and its subscription queues, on the node the client connected to. So each node
 * describes every change to a persistent session it holds (a CONNACK, a SUBACK or UNSUBACK, the end of a connection)
 * to the others, over a cluster address that Artemis's bridges carry ({@link ClusterAddress}); every node keeps the
 * latest description of each session, and a node that sees another join sends it what it knows. When the client
 * connects to a node that does not hold its session, that node makes the session from the description before Artemis
 * reads it (Artemis then creates the subscription queues and consumers, as on a restart), and describes itself as the
 * session's owner. The node that held the session sees the newer description and lets it go ({@link SessionDeparture}):
 * it closes the client's connection there if one is still open, removes the state, and deletes each queue once
 * Artemis's redistribution has moved its messages to the same queue on the new node.
 */
final class ClusterSessions implements ActiveMQServerBindingPlugin, ActiveMQServerSessionPlugin {

	static final SimpleString ADDRESS = SimpleString.of("mqtt-boot.cluster.sessions");

	private static final int MQTT_5 = 5;

	/** On a client's channel: what it asked for about its session. */
	private static final AttributeKey<Asked> ASKED = AttributeKey.valueOf(ClusterSessions.class, "asked");

	private static final Logger logger = LoggerFactory.getLogger(ClusterSessions.class);

	private final String nodeName;

	private final ClusterAddress cluster;

	/** The latest description of every persistent session in the cluster, by client id. */
	private final Map<String, SessionDescription> descriptions = new ConcurrentHashMap<>();


	/**
	 * @param nodeName this node's name
	 */
	ClusterSessions(String nodeName) {
		this.nodeName = nodeName;
		this.cluster = new ClusterAddress(ADDRESS, nodeName);
	}

	@Override
	public void registered(ActiveMQServer server) {
		this.cluster.register(server);
		server.getRemotingService().addIncomingInterceptor((MQTTInterceptor) this::incoming);
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	private ActiveMQServer server() {
		return this.cluster.server();
	}

	/**
	 * Once the node is active: its queue on the cluster address, and a description of each persistent session its
	 * journal holds, for the nodes that join (as old as can be: any description another node made since wins).
	 */
	void activate() throws Exception {
		ActiveMQServer active = server();
		MQTTStateManager manager = MqttSessions.stateManager(active);
		if (manager != null) {
			for (MQTTSessionState state : manager.getSessionStates().values()) {
				if (!state.getSubscriptionsPlusID().isEmpty()) {
					take(new SessionDescription(state.getClientId(), this.nodeName, 0, 0, true, false, -1, 0,
							state.getSubscriptionsPlusID()));
				}
			}
		}
		this.cluster.open("session description", this::receive);
		ClusterTakeoverNotice.listen(active);
	}

	private boolean incoming(MqttMessage packet, RemotingConnection connection) {
		if (packet instanceof MqttConnectMessage connect) {
			Asked asked = Asked.by(connect);
			Channel channel = MqttSessions.clientChannel(connection);
			if (channel != null) {
				channel.attr(ASKED).set(asked);
				if (connect.variableHeader().version() == MQTT_5) {
					ClusterTakeoverNotice.watch(channel);
				}
			}
			String clientId = connect.payload().clientIdentifier();
			if (!asked.cleanStart && clientId != null && !clientId.isEmpty()) {
				adopt(clientId);
			}
		}
		else if (packet.fixedHeader().messageType() == MqttMessageType.DISCONNECT
				&& packet.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
			// MQTT 5: a DISCONNECT may change the session expiry interval.
			Asked asked = asked(connection);
			MqttProperties.MqttProperty<?> expiry = header.properties()
				.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
			if (asked != null && expiry != null && expiry.value() instanceof Integer seconds) {
				asked.expiry(seconds);
			}
		}
		return true;
	}

	private boolean outgoing(MqttMessage packet, RemotingConnection connection) {
		MqttMessageType type = packet.fixedHeader().messageType();
		if (type != MqttMessageType.CONNACK && type != MqttMessageType.SUBACK && type != MqttMessageType.UNSUBACK) {
			return true;
		}
		Asked asked = asked(connection);
		String clientId = connection.getClientID();
		if (asked == null || clientId == null) {
			return true;
		}
		if (type == MqttMessageType.CONNACK && packet instanceof MqttConnAckMessage connack
				&& connack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
			// A clean session elsewhere, made or discarded by this one: the other nodes let theirs go.
			if (asked.persistent() || this.descriptions.containsKey(clientId)) {
				describe(clientId, asked, true, 0);
			}
		}
		else if ((type == MqttMessageType.SUBACK || type == MqttMessageType.UNSUBACK) && asked.persistent()) {
			describe(clientId, asked, false, 0);
		}
		return true;
	}

	@Override
	public void afterCloseSession(ServerSession session, boolean failed) throws ActiveMQException {
		RemotingConnection connection = session.getRemotingConnection();
		Asked asked = (connection != null) ? asked(connection) : null;
		String clientId = (connection != null) ? connection.getClientID() : null;
		MQTTStateManager manager = MqttSessions.stateManager(server());
		if (asked == null || clientId == null || manager == null || manager.getConnectedClient(clientId) != connection) {
			// Taken over by a newer connection on this node: that one describes the session.
			return;
		}
		describe(clientId, asked, false, System.currentTimeMillis());
	}

	@Override
	public void afterAddBinding(Binding binding) {
		this.cluster.whenJoined(binding, this::catchUp);
	}

	/** Send a node that joined the description of every session this node knows of. */
	private void catchUp(String node) {
		ActiveMQServer active = server();
		WildcardConfiguration wildcards = active.getConfiguration().getWildcardConfiguration();
		int sent = 0;
		for (SessionDescription description : this.descriptions.values()) {
			try {
				this.cluster.send(description.toMessage(wildcards, active.getStorageManager().generateID()),
						node, null);
				sent++;
			}
			catch (Exception ex) {
				logger.warn("The session of {} could not be described to cluster node {}: {}", description.clientId(),
						node, ex.toString());
			}
		}
		logger.debug("Described {} session(s) to cluster node {}", sent, node);
	}

	/**
	 * Make the session a client left on another node, from its description, before Artemis looks for it: Artemis then
	 * answers {@code session present} 1 and subscribes the session's queues here.
	 */
	private void adopt(String clientId) {
		SessionDescription description = this.descriptions.get(clientId);
		ActiveMQServer active = server();
		MQTTStateManager manager = MqttSessions.stateManager(active);
		if (manager == null || description == null || description.owner().equals(this.nodeName)
				|| !description.resumableAt(System.currentTimeMillis())
				|| manager.getSessionStates().containsKey(clientId)) {
			return;
		}
		try {
			MQTTSessionState state = manager.getSessionState(clientId);
			WildcardConfiguration wildcards = active.getConfiguration().getWildcardConfiguration();
			for (MQTTSessionState.SubscriptionItem item : description.subscriptions().values()) {
				state.addSubscription(item.getSubscription(), wildcards, item.getId());
			}
			manager.storeDurableSubscriptionState(state);
			logger.debug("Session of {} taken over from cluster node {} ({} subscription(s))", clientId,
					description.owner(), description.subscriptions().size());
		}
		catch (Exception ex) {
			logger.warn("The session of {} could not be taken over from cluster node {}: {}", clientId,
					description.owner(), ex.toString());
		}
	}

	/**
	 * Describe the session of a client connected here to every other node, as owned by this one: on its CONNACK as a
	 * new connection, which wins over every description made before; then each change of that connection's session,
	 * unless the client connected again since (here or on another node: that connection describes the session).
	 */
	private void describe(String clientId, Asked asked, boolean connecting, long disconnectedAt) {
		ActiveMQServer active = server();
		MQTTSessionState state = MqttSessions.state(active, clientId);
		SessionDescription earlier = this.descriptions.get(clientId);
		long version;
		int revision;
		if (connecting) {
			version = Math.max(System.currentTimeMillis(), (earlier != null) ? earlier.version() + 1 : 1);
			revision = 0;
			asked.version = version;
		}
		else if (asked.version == 0 || (earlier == null && !asked.persistent())
				|| (earlier != null && (earlier.version() != asked.version || !earlier.owner().equals(this.nodeName)))) {
			return;
		}
		else {
			version = asked.version;
			revision = (earlier != null) ? earlier.revision() + 1 : 1;
		}
		SessionDescription description = new SessionDescription(clientId, this.nodeName, version, revision,
				asked.persistent(),
				asked.cleanStart, asked.expirySeconds, disconnectedAt,
				(state != null) ? state.getSubscriptionsPlusID() : Map.of());
		take(description);
		try {
			this.cluster.send(description.toMessage(active.getConfiguration().getWildcardConfiguration(),
					active.getStorageManager().generateID()), null, null);
		}
		catch (Exception ex) {
			logger.warn("The session of {} could not be described to the other cluster nodes: {}", clientId,
					ex.toString());
		}
	}

	/** A description from another node: kept if it is newer, and a session that moved away leaves this node. */
	private void receive(Message message) {
		SessionDescription description = SessionDescription.fromMessage(message);
		SessionDescription current = this.descriptions.get(description.clientId());
		if (current != null && !description.supersedes(current)) {
			return;
		}
		take(description);
		String clientId = description.clientId();
		if (!description.owner().equals(this.nodeName) && mayHoldSession(current, clientId)) {
			SessionDeparture.start(server(), description, () -> stillAway(clientId));
		}
	}

	/**
	 * Whether this node may hold something of a session another node now owns: it owned the session, or holds its
	 * state, or knew nothing of it (queues a restart left behind). A session that stays with another node does not.
	 */
	private boolean mayHoldSession(@Nullable SessionDescription known, String clientId) {
		MQTTStateManager manager = MqttSessions.stateManager(server());
		return known == null || known.owner().equals(this.nodeName)
				|| (manager != null && manager.getSessionStates().containsKey(clientId));
	}

	/** Keep the description of a session that outlives its connection; forget one that does not. */
	private void take(SessionDescription description) {
		if (description.persistent()) {
			this.descriptions.put(description.clientId(), description);
		}
		else {
			this.descriptions.remove(description.clientId());
		}
	}

	private static @Nullable Asked asked(RemotingConnection connection) {
		Channel channel = MqttSessions.clientChannel(connection);
		return (channel != null) ? channel.attr(ASKED).get() : null;
	}

	/** @return whether the latest description of the client's session has another node as its owner, or none */
	private boolean stillAway(String clientId) {
		SessionDescription latest = this.descriptions.get(clientId);
		return latest == null || !latest.owner().equals(this.nodeName);
	}

	/** What a connection asked for in its CONNECT (and, on MQTT 5, its DISCONNECT) about its session. */
	private static final class Asked {

		final boolean cleanStart;

		/** The session expiry interval in seconds, -1 for never. */
		volatile long expirySeconds;

		/** When this connection's session was first described to the other nodes (its version), 0 until then. */
		volatile long version;

		private Asked(boolean cleanStart, long expirySeconds) {
			this.cleanStart = cleanStart;
			this.expirySeconds = expirySeconds;
		}

		static Asked by(MqttConnectMessage connect) {
			if (connect.variableHeader().version() != MQTT_5) {
				// MQTT 3.1.1: a session without clean session lasts until the client connects with it.
				return new Asked(connect.variableHeader().isCleanSession(),
						connect.variableHeader().isCleanSession() ? 0 : -1);
			}
			MqttProperties.MqttProperty<?> expiry = connect.variableHeader()
				.properties()
				.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
			Asked asked = new Asked(connect.variableHeader().isCleanSession(), 0);
			if (expiry != null && expiry.value() instanceof Integer seconds) {
				asked.expiry(seconds);
			}
			return asked;
		}

		/** @param seconds the interval as MQTT 5 carries it: unsigned, 0xFFFFFFFF for never */
		void expiry(int seconds) {
			this.expirySeconds = (seconds == -1) ? -1 : Integer.toUnsignedLong(seconds);
		}

		boolean persistent() {
			return this.expirySeconds != 0;
		}

	}

}
