package dev.mqttboot.broker.artemis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.BindingType;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Consumer;
import org.apache.activemq.artemis.core.server.HandleStatus;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An address on which the cluster's nodes tell each other something (a retained message, a session's description),
 * carried by Artemis's own cluster bridges. Each node has one durable queue there, {@code <address>.<node name>},
 * filtered to what other nodes sent; Artemis forwards a message sent on one node to the queue of every other node, and
 * keeps it in the sender's journal while a node is away. A message may also be meant for one node alone (a catch-up
 * for a node that joined): the others drop it.
 */
final class ClusterAddress {

	/** The node that sent a message. */
	static final SimpleString ORIGIN = SimpleString.of("mqttBootOrigin");

	/** On a message for one node alone: that node's name. */
	private static final SimpleString FOR = SimpleString.of("mqttBootFor");

	private static final Logger logger = LoggerFactory.getLogger(ClusterAddress.class);

	private final SimpleString address;

	private final String nodeName;

	private final String queuePrefix;

	private volatile @Nullable ActiveMQServer server;

	/**
	 * @param address the cluster-wide address
	 * @param nodeName this node's name
	 */
	ClusterAddress(SimpleString address, String nodeName) {
		this.address = address;
		this.nodeName = nodeName;
		this.queuePrefix = address + ".";
	}

	/** @param server the server this node runs, once the plugin that uses this address is registered with it */
	void register(ActiveMQServer server) {
		this.server = server;
	}

	/** @return the server this node runs */
	ActiveMQServer server() {
		ActiveMQServer registered = this.server;
		if (registered == null) {
			throw new IllegalStateException("Nothing on " + this.address + " is registered with a server yet");
		}
		return registered;
	}

	/** What a node does with each message another node sent it; a failure is logged and the message dropped. */
	@FunctionalInterface
	interface Receiver {

		void receive(Message message) throws Exception;

	}

	/**
	 * Once the node is active: make its queue on the address, if it has none yet, and receive what arrives there, in
	 * order.
	 * @param what what the messages are, for the logs
	 * @param receiver what to do with each message meant for this node
	 */
	void open(String what, Receiver receiver) throws Exception {
		ActiveMQServer server = server();
		SimpleString name = SimpleString.of(this.queuePrefix + this.nodeName);
		Queue queue = server.locateQueue(name);
		if (queue == null) {
			// The filter travels with the queue's binding to the other nodes: they send here what is not this node's.
			queue = server.createQueue(QueueConfiguration.of(name)
				.setAddress(this.address)
				.setRoutingType(RoutingType.MULTICAST)
				.setDurable(true)
				.setFilterString(ORIGIN + " <> '" + this.nodeName.replace("'", "''") + "'"));
		}
		queue.addConsumer(new Receiving(queue, server.getStorageManager().generateID(), what, receiver));
		queue.deliverAsync();
	}

	/**
	 * When a binding is another node's queue on this address (a node that joined, came back, or that this node saw on
	 * starting), do what a newcomer needs, with that node's name, on one of the server's threads: not on the cluster
	 * connection's thread that is adding the binding.
	 * @param binding a binding the post office added
	 * @param catchUp what to do for the node
	 */
	void whenJoined(Binding binding, java.util.function.Consumer<String> catchUp) {
		String node = joinedNode(binding);
		if (node != null) {
			server().getExecutorFactory().getExecutor().execute(() -> catchUp.accept(node));
		}
	}

	private @Nullable String joinedNode(Binding binding) {
		String queue = String.valueOf(binding.getRoutingName());
		if (binding.getType() != BindingType.REMOTE_QUEUE || !this.address.equals(binding.getAddress())
				|| !queue.startsWith(this.queuePrefix)) {
			return null;
		}
		return queue.substring(this.queuePrefix.length());
	}

	/**
	 * Send a message to the other nodes: a copy of it, without what the router added for this node's own bindings.
	 * @param message the message to send a copy of; its properties say what it is
	 * @param target the one node it is for, or {@code null} for every other node
	 * @param tx the transaction to send it in, or {@code null}
	 */
	void send(Message message, @Nullable String target, @Nullable Transaction tx) throws Exception {
		ActiveMQServer server = server();
		Message copy = message.copy(server.getStorageManager().generateID());
		for (SimpleString property : new ArrayList<>(copy.getPropertyNames())) {
			if (property.startsWith(Message.HDR_ROUTE_TO_IDS) || property.startsWith(Message.HDR_ROUTE_TO_ACK_IDS)) {
				copy.removeProperty(property);
			}
		}
		copy.putStringProperty(ORIGIN, SimpleString.of(this.nodeName));
		if (target != null) {
			copy.putStringProperty(FOR, SimpleString.of(target));
		}
		copy.setAddress(this.address);
		copy.setRoutingType(RoutingType.MULTICAST);
		copy.setDurable(true);
		server.getPostOffice().route(copy, tx, false);
	}

	/** Remove what {@link #send} added, from a message to be kept as this node's own. */
	static void strip(Message message) {
		message.removeProperty(ORIGIN);
		message.removeProperty(FOR);
	}

	/** @return whether a message was sent to this node alone, as a catch-up */
	static boolean isCatchUp(Message message) {
		return message.containsProperty(FOR);
	}

	/** @return whether a message is a catch-up for a node other than this one */
	private boolean forAnotherNode(Message message) {
		String target = message.getStringProperty(FOR);
		return target != null && !target.equals(this.nodeName);
	}

	/** The server-side consumer of this node's queue: hands each message on, then acknowledges it. */
	private final class Receiving implements Consumer {

		private final Queue queue;

		private final long id;

		private final String what;

		private final Receiver receiver;

		Receiving(Queue queue, long id, String what, Receiver receiver) {
			this.queue = queue;
			this.id = id;
			this.what = what;
			this.receiver = receiver;
		}

		@Override
		public HandleStatus handle(MessageReference reference) {
			return HandleStatus.HANDLED;
		}

		@Override
		public void proceedDeliver(MessageReference reference) throws Exception {
			try {
				if (!forAnotherNode(reference.getMessage())) {
					this.receiver.receive(reference.getMessage());
				}
			}
			catch (Exception ex) {
				// Acknowledged anyway: a message that cannot be taken in now would block every later one.
				logger.warn("{} from another cluster node could not be taken in: {}", this.what, ex.toString());
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
			return "mqtt-boot " + this.what + " of " + ClusterAddress.this.nodeName;
		}

		@Override
		public void disconnect() {
		}

		@Override
		public void failed(Throwable t) {
			logger.warn("The cluster's {} consumer failed: {}", this.what, t.toString());
		}

		@Override
		public long sequentialID() {
			return this.id;
		}

	}

}
