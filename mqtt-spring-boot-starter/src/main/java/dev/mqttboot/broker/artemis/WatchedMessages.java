package dev.mqttboot.broker.artemis;

import dev.mqttboot.broker.MessageWatchers;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.jspecify.annotations.Nullable;

/**
 * Offers the watches ({@link MessageWatchers}) every message sent to an MQTT topic's address: the PUBLISHes of
 * clients once they passed the access rules and were routed, wills, and what other cluster nodes forward here. The
 * addresses Artemis and the starter keep for themselves ({@code $sys.}, {@code activemq.}, {@code mqtt-boot.}) are
 * not topics and are skipped.
 */
final class WatchedMessages implements ActiveMQServerMessagePlugin {

	private final MessageWatchers watchers;

	private volatile @Nullable WildcardConfiguration wildcards;

	WatchedMessages(MessageWatchers watchers) {
		this.watchers = watchers;
	}

	@Override
	public void registered(ActiveMQServer server) {
		this.wildcards = server.getConfiguration().getWildcardConfiguration();
	}

	@Override
	public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct,
			boolean noAutoCreateQueue, RoutingStatus result) {
		String address = message.getAddress();
		if (!this.watchers.any() || address == null || InternalAddresses.ofEngine(address)
				|| InternalAddresses.ofMqttLayer(address)
				|| message.containsProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_INITIAL_DISTRIBUTION_KEY)) {
			return;
		}
		String topic = MQTTUtil.getMqttTopicFromCoreAddress(address, this.wildcards);
		boolean retained = Boolean.TRUE.equals(message.getBooleanProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_KEY));
		this.watchers.offer(topic, ArtemisMessages.qos(message), retained, () -> ArtemisMessages.payload(message));
	}

}
