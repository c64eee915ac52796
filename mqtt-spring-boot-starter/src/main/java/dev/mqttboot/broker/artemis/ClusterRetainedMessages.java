package dev.mqttboot.broker.artemis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerBindingPlugin;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Retained messages for the whole cluster. Artemis keeps a retained message on the node that received it
 * ({@code $sys.mqtt.retain.<address>}, a queue the cluster does not forward), so a subscriber on another node would
 * not get it. Each node therefore sends every retained PUBLISH it accepts, or the empty one that clears a topic, to
 * one cluster address; every other node has a queue of its own there and stores what arrives as its own retained
 * message for that topic. Artemis's cluster bridges carry the copies, and keep them in the sender's journal for a
 * node that is away until it is back.
 * <p>
 * A node that joins later had no queue there when those copies were sent. When a node's queue appears on this one
 * (its remote binding: a node that joined, or came back, or this node itself started), this node sends it a copy of
 * every retained message it holds, and every clear it knows of, addressed to that node alone.
 * <p>
 * Whatever the order copies arrive in, the newest wins (by the time the publishing node received the PUBLISH): a node
 * keeps a copy only if it holds nothing newer for that topic and has not cleared the topic later. So a copy that waited
 * in a sender's journal, or a catch-up, never undoes a later PUBLISH or clear. The clears are remembered in memory,
 * for as long as the node runs.
 */
final class ClusterRetainedMessages implements ActiveMQServerMessagePlugin, ActiveMQServerBindingPlugin {

	static final SimpleString ADDRESS = SimpleString.of("mqtt-boot.cluster.retained");

	private static final SimpleString TOPIC_ADDRESS = SimpleString.of("mqttBootRetainedAddress");

	private static final SimpleString CLEARS = SimpleString.of("mqttBootRetainedClears");

	private static final Logger logger = LoggerFactory.getLogger(ClusterRetainedMessages.class);

	private final ClusterAddress cluster;

	/**
	 * When each topic (by core address) was last cleared on this node, by a PUBLISH here or a copy from another node:
	 * a copy older than that, arriving later, must not bring the old message back.
	 */
	private final Map<String, Long> clearedAt = new ConcurrentHashMap<>();

	ClusterRetainedMessages(String nodeName) {
		this.cluster = new ClusterAddress(ADDRESS, nodeName);
	}

	@Override
	public void registered(ActiveMQServer server) {
		this.cluster.register(server);
	}

	private ActiveMQServer server() {
		return this.cluster.server();
	}

	/** Once the node is active: its queue on the cluster address, and the consumer that stores what arrives. */
	void activate() throws Exception {
		this.cluster.open("retained message", this::store);
	}

	@Override
	public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
			boolean noAutoCreateQueue, RoutingStatus result) throws ActiveMQException {
		// Called once the PUBLISH passed the access rules and was routed, in its transaction: the copy is committed
		// with it, and a PUBLISH that was refused is never sent on.
		if (!Boolean.TRUE.equals(message.getBooleanProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_KEY))
				|| message.containsProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_INITIAL_DISTRIBUTION_KEY)
				|| message.getAddress() == null || !"MQTT".equals(protocol(session))) {
			return;
		}
		forward(message, tx);
	}

	/**
	 * Send a retained message (an empty one clears the topic) that this node stored to the other nodes.
	 * @param message the retained message, its address the topic's core address
	 * @param tx the transaction it was routed in, or {@code null}
	 */
	void forward(Message message, @Nullable Transaction tx) throws ActiveMQException {
		boolean clears = isEmpty(message);
		if (clears) {
			this.clearedAt.merge(message.getAddress(), message.getTimestamp(), Math::max);
		}
		send(message, message.getAddress(), clears, null, tx);
	}

	@Override
	public void afterAddBinding(Binding binding) {
		this.cluster.whenJoined(binding, this::catchUp);
	}

	/** Send a node that joined every retained message this node holds, and every clear it knows of. */
	private void catchUp(String node) {
		try {
			Map<String, Message> retained = RetainedStore.all(server());
			for (Map.Entry<String, Message> entry : retained.entrySet()) {
				send(entry.getValue(), entry.getKey(), false, node, null);
			}
			for (Map.Entry<String, Long> cleared : this.clearedAt.entrySet()) {
				if (!retained.containsKey(cleared.getKey())) {
					send(clear(cleared.getKey(), cleared.getValue()), cleared.getKey(), true, node, null);
				}
			}
			logger.debug("Sent {} retained message(s) and {} clear(s) to cluster node {}", retained.size(),
					this.clearedAt.size(), node);
		}
		catch (Exception ex) {
			logger.warn("The retained messages could not be sent to cluster node {}: {}", node, ex.toString());
		}
	}

	private void send(Message message, String topicAddress, boolean clears, @Nullable String target,
			@Nullable Transaction tx) throws ActiveMQException {
		try {
			Message copy = message.copy();
			copy.putStringProperty(TOPIC_ADDRESS, SimpleString.of(topicAddress));
			copy.putBooleanProperty(CLEARS, clears);
			this.cluster.send(copy, target, tx);
		}
		catch (Exception ex) {
			throw new ActiveMQException("The retained message could not be sent to the other cluster nodes: " + ex);
		}
	}

	/** @return an empty retained message for the address, as of the given time: the clear of a topic */
	private Message clear(String address, long timestamp) {
		CoreMessage clear = new CoreMessage(server().getStorageManager().generateID(), 50);
		clear.setAddress(address);
		clear.setTimestamp(timestamp);
		clear.putBooleanProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_KEY, true);
		return clear;
	}

	private static boolean isEmpty(Message message) {
		// An MQTT message's payload is the body of its core message.
		return message.toCore().getReadOnlyBodyBuffer().readableBytes() == 0;
	}

	private static @Nullable String protocol(@Nullable ServerSession session) {
		return (session != null && session.getRemotingConnection() != null)
				? session.getRemotingConnection().getProtocolName() : null;
	}

	/**
	 * Replace this node's retained message for the topic with the one another node received, or clear it, unless this
	 * node has a newer one or cleared the topic later: the newest wins, in whatever order the copies arrive (a copy
	 * may wait days in a sender's journal while this node is away).
	 */
	private void store(Message message) throws Exception {
		String address = message.getStringProperty(TOPIC_ADDRESS);
		long time = message.getTimestamp();
		Long cleared = this.clearedAt.get(address);
		Message current = RetainedStore.current(server(), address);
		if ((cleared != null && cleared >= time) || (current != null && (current.getTimestamp() > time
				|| (current.getTimestamp() == time && ClusterAddress.isCatchUp(message))))) {
			logger.debug("Retained copy for {} of {} kept out: cleared at {}, holding one of {}", address, time, cleared,
					(current != null) ? current.getTimestamp() : null);
			return;
		}
		if (Boolean.TRUE.equals(message.getBooleanProperty(CLEARS))) {
			this.clearedAt.merge(address, time, Math::max);
		}
		Message retained = null;
		if (!Boolean.TRUE.equals(message.getBooleanProperty(CLEARS))) {
			retained = message.copy();
			retained.removeProperty(TOPIC_ADDRESS);
			retained.removeProperty(CLEARS);
			ClusterAddress.strip(retained);
		}
		RetainedStore.replace(server(), address, retained);
	}

}
