package dev.mqttboot.broker.artemis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.mqttboot.broker.BrokerMessage;
import dev.mqttboot.core.TopicSyntax;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.BindingType;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.impl.RoutingContextImpl;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.jspecify.annotations.Nullable;

/**
 * Artemis's MQTT retained messages as its MQTT layer keeps them: one queue per topic,
 * {@code $sys.mqtt.retain.<address>}, holding that topic's one retained message. Read and written here for what does
 * not come from a client's PUBLISH: the copies other cluster nodes send, the broker's own publishes, the listing.
 */
final class RetainedStore {

	/** Matches every retained-message queue. */
	private static final SimpleString ALL = SimpleString.of(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX + "#");

	private RetainedStore() {
	}

	/**
	 * Replace a topic's retained message, or clear it.
	 * @param server the active server
	 * @param address the topic's core address
	 * @param message the new retained message (copied), or {@code null} to clear
	 */
	static void replace(ActiveMQServer server, String address, @Nullable Message message) throws Exception {
		SimpleString retainAddress = SimpleString.of(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX + address);
		Queue retained = server.locateQueue(retainAddress);
		if (retained == null) {
			if (message == null) {
				return;
			}
			// As Artemis's MQTT layer creates it for a retained PUBLISH it receives itself.
			retained = server.createQueue(QueueConfiguration.of(retainAddress).setAutoCreated(true));
		}
		retained.deleteAllReferences();
		if (message != null) {
			Message copy = message.copy(server.getStorageManager().generateID());
			copy.setAddress(address);
			RoutingContext context = new RoutingContextImpl(null);
			retained.route(copy, context);
			server.getPostOffice().processRoute(copy, context, false);
		}
	}

	/**
	 * The retained messages whose topics match a filter, sorted by topic.
	 * @param server the active server
	 * @param filter a valid MQTT topic filter
	 * @return the messages
	 */
	static List<BrokerMessage> matching(ActiveMQServer server, String filter) throws Exception {
		WildcardConfiguration wildcards = server.getConfiguration().getWildcardConfiguration();
		List<BrokerMessage> found = new ArrayList<>();
		where(server, (address) -> TopicSyntax.matches(filter, MQTTUtil.getMqttTopicFromCoreAddress(address, wildcards)))
			.forEach((address, message) -> found.add(ArtemisMessages
				.toBrokerMessage(MQTTUtil.getMqttTopicFromCoreAddress(address, wildcards), message, true)));
		found.sort(Comparator.comparing(BrokerMessage::topic));
		return found;
	}

	/**
	 * Every retained message this node holds.
	 * @param server the active server
	 * @return the messages by their topic's core address
	 */
	static Map<String, Message> all(ActiveMQServer server) throws Exception {
		return where(server, (address) -> true);
	}

	/** The retained messages of the topics whose core address passes the test; the others' queues are not read. */
	private static Map<String, Message> where(ActiveMQServer server, Predicate<String> address) throws Exception {
		Map<String, Message> found = new LinkedHashMap<>();
		for (Binding binding : server.getPostOffice().getMatchingBindings(ALL)) {
			String topicAddress = binding.getAddress().toString().substring(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX.length());
			if (binding.getType() != BindingType.LOCAL_QUEUE || !address.test(topicAddress)) {
				continue;
			}
			Queue queue = server.locateQueue(binding.getUniqueName());
			Message message = (queue != null) ? last(queue) : null;
			if (message != null) {
				found.put(topicAddress, message);
			}
		}
		return found;
	}

	/**
	 * A topic's retained message.
	 * @param server the active server
	 * @param address the topic's core address
	 * @return the message, or {@code null} when the topic has none
	 */
	static @Nullable Message current(ActiveMQServer server, String address) {
		Queue queue = server.locateQueue(SimpleString.of(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX + address));
		return (queue != null) ? last(queue) : null;
	}

	private static @Nullable Message last(Queue queue) {
		// A reference just added waits in the queue's intermediate list until the queue's executor moves it: let it.
		queue.flushExecutor();
		Message last = null;
		try (LinkedListIterator<MessageReference> references = queue.browserIterator()) {
			while (references.hasNext()) {
				last = references.next().getMessage();
			}
		}
		return last;
	}

}
