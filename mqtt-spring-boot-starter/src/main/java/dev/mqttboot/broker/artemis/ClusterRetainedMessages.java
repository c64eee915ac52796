package dev.mqttboot.broker.artemis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.BindingType;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Consumer;
import org.apache.activemq.artemis.core.server.HandleStatus;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
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
 * every retained message it holds, addressed to that node alone. The newcomer keeps a copy only if it holds nothing
 * newer for that topic (by the time the publishing node received it), so a catch-up never undoes a later PUBLISH that
 * reached it live.
 */
final class ClusterRetainedMessages implements ActiveMQServerMessagePlugin, ActiveMQServerBindingPlugin {

	static final SimpleString ADDRESS = SimpleString.of("mqtt-boot.cluster.retained");

	private static final SimpleString ORIGIN = SimpleString.of("mqttBootOrigin");

	private static final SimpleString TOPIC_ADDRESS = SimpleString.of("mqttBootRetainedAddress");

	private static final SimpleString CLEARS = SimpleString.of("mqttBootRetainedClears");

	/** On a catch-up copy: the one node it is for (the others drop it). */
	private static final SimpleString FOR = SimpleString.of("mqttBootRetainedFor");

	/** The queue of node {@code n} on the cluster address is {@code <ADDRESS>.n}. */
	private static final String QUEUE_PREFIX = ADDRESS + ".";

	private static final Logger logger = LoggerFactory.getLogger(ClusterRetainedMessages.class);

	private final String nodeName;

	private volatile @Nullable ActiveMQServer server;

	ClusterRetainedMessages(String nodeName) {
		this.nodeName = nodeName;
	}

	@Override
	public void registered(ActiveMQServer server) {
		this.server = server;
	}

	private ActiveMQServer server() {
		ActiveMQServer server = this.server;
		if (server == null) {
			throw new IllegalStateException("The retained-message plugin is not registered with a server");
		}
		return server;
	}

	/** Once the node is active: its queue on the cluster address, and the consumer that stores what arrives. */
	void activate() throws Exception {
		ActiveMQServer active = server();
		SimpleString name = SimpleString.of(ADDRESS + "." + this.nodeName);
		Queue queue = active.locateQueue(name);
		if (queue == null) {
			// The filter travels with the queue's binding to the other nodes: they send here what is not this node's.
			queue = active.createQueue(QueueConfiguration.of(name)
				.setAddress(ADDRESS)
				.setRoutingType(RoutingType.MULTICAST)
				.setDurable(true)
				.setFilterString(ORIGIN + " <> '" + this.nodeName.replace("'", "''") + "'"));
		}
		queue.addConsumer(new Store(queue));
		queue.deliverAsync();
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
		send(message, message.getAddress(), null, tx);
	}

	@Override
	public void afterAddBinding(Binding binding) {
		String queue = String.valueOf(binding.getRoutingName());
		if (binding.getType() != BindingType.REMOTE_QUEUE || !ADDRESS.equals(binding.getAddress())
				|| !queue.startsWith(QUEUE_PREFIX)) {
			return;
		}
		String node = queue.substring(QUEUE_PREFIX.length());
		// Not on the cluster connection's thread that is adding the binding.
		server().getExecutorFactory().getExecutor().execute(() -> catchUp(node));
	}

	/** Send a node that joined every retained message this node holds. */
	private void catchUp(String node) {
		try {
			Map<String, Message> retained = RetainedStore.all(server());
			for (Map.Entry<String, Message> entry : retained.entrySet()) {
				send(entry.getValue(), entry.getKey(), node, null);
			}
			logger.debug("Sent {} retained message(s) to cluster node {}", retained.size(), node);
		}
		catch (Exception ex) {
			logger.warn("The retained messages could not be sent to cluster node {}: {}", node, ex.toString());
		}
	}

	private void send(Message message, String topicAddress, @Nullable String target, @Nullable Transaction tx)
			throws ActiveMQException {
		ActiveMQServer active = server();
		try {
			Message copy = message.copy(active.getStorageManager().generateID());
			for (SimpleString property : new ArrayList<>(copy.getPropertyNames())) {
				// What the router added for this node's own bindings must not steer the copy.
				if (property.startsWith(Message.HDR_ROUTE_TO_IDS) || property.startsWith(Message.HDR_ROUTE_TO_ACK_IDS)) {
					copy.removeProperty(property);
				}
			}
			copy.putStringProperty(TOPIC_ADDRESS, SimpleString.of(topicAddress));
			copy.putStringProperty(ORIGIN, SimpleString.of(this.nodeName));
			copy.putBooleanProperty(CLEARS, isEmpty(message));
			if (target != null) {
				copy.putStringProperty(FOR, SimpleString.of(target));
			}
			copy.setAddress(ADDRESS);
			copy.setRoutingType(RoutingType.MULTICAST);
			copy.setDurable(true);
			active.getPostOffice().route(copy, tx, false);
		}
		catch (Exception ex) {
			throw new ActiveMQException("The retained message could not be sent to the other cluster nodes: " + ex);
		}
	}

	private static boolean isEmpty(Message message) {
		// An MQTT message's payload is the body of its core message.
		return message.toCore().getReadOnlyBodyBuffer().readableBytes() == 0;
	}

	private static @Nullable String protocol(@Nullable ServerSession session) {
		return (session != null && session.getRemotingConnection() != null)
				? session.getRemotingConnection().getProtocolName() : null;
	}

	/** Replace this node's retained message for the topic with the one another node received, or clear it. */
	private void store(Message message) throws Exception {
		String address = message.getStringProperty(TOPIC_ADDRESS);
		String target = message.getStringProperty(FOR);
		if (target != null) {
			Message current = RetainedStore.current(server(), address);
			if (!target.equals(this.nodeName) || (current != null && current.getTimestamp() >= message.getTimestamp())) {
				return;
			}
		}
		Message retained = null;
		if (!Boolean.TRUE.equals(message.getBooleanProperty(CLEARS))) {
			retained = message.copy();
			retained.removeProperty(TOPIC_ADDRESS);
			retained.removeProperty(ORIGIN);
			retained.removeProperty(CLEARS);
			retained.removeProperty(FOR);
		}
		RetainedStore.replace(server(), address, retained);
	}

	/** The server-side consumer of this node's queue: stores each message, then acknowledges it. */
	private final class Store implements Consumer {

		private final Queue queue;

		private final long id;

		Store(Queue queue) {
			this.queue = queue;
			this.id = server().getStorageManager().generateID();
		}

		@Override
		public HandleStatus handle(MessageReference reference) {
			return HandleStatus.HANDLED;
		}

		@Override
		public void proceedDeliver(MessageReference reference) throws Exception {
			try {
				store(reference.getMessage());
			}
			catch (Exception ex) {
				// Acknowledged anyway: a message that cannot be stored now would block every later one.
				logger.warn("A retained message from another cluster node could not be stored: {}", ex.toString());
			}
			this.queue.acknowledge(reference);
		}

		@Override
		public @Nullable Filter getFilter() {
			return null;
		}

		@Override
		public List<MessageReference> getDeliveringMessages() {
			return Collections.emptyList();
		}

		@Override
		public String debug() {
			return toString();
		}

		@Override
		public String toManagementString() {
			return "mqtt-boot retained-message store of " + ClusterRetainedMessages.this.nodeName;
		}

		@Override
		public void disconnect() {
		}

		@Override
		public void failed(Throwable t) {
			logger.warn("The cluster's retained-message store failed: {}", t.toString());
		}

		@Override
		public long sequentialID() {
			return this.id;
		}

	}

}
