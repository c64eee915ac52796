package dev.mqttboot.broker.artemis;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;

/**
 * [MQTT-3.3.4-5] When a message matches several subscriptions of one client and the server sends a copy for each, each
 * copy carries the identifier of the subscription it was sent for. Artemis 2.53 sends a copy per subscription (one
 * queue each) but puts the identifiers of every matching subscription in each. The queue a copy comes from is known
 * where it is delivered, on the thread that then writes it: this keeps that queue's subscription identifier only.
 */
final class SubscriptionIdentifiers implements ActiveMQServerMessagePlugin {

	private static final int SUBSCRIPTION_IDENTIFIER = MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value();

	/** The queue whose message this thread is delivering, from the delivery's start to its end. */
	private static final ThreadLocal<Queue> delivering = new ThreadLocal<>();

	private volatile @Nullable ActiveMQServer server;

	@Override
	public void registered(ActiveMQServer server) {
		this.server = server;
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	@Override
	public void beforeDeliver(ServerConsumer consumer, MessageReference reference) {
		delivering.set(consumer.getQueue());
	}

	@Override
	public void afterDeliver(ServerConsumer consumer, MessageReference reference) {
		delivering.remove();
	}

	private boolean outgoing(MqttMessage message, RemotingConnection connection) {
		if (message.fixedHeader().messageType() != MqttMessageType.PUBLISH) {
			return true;
		}
		MqttProperties properties = ((MqttPublishMessage) message).variableHeader().properties();
		List<? extends MqttProperties.MqttProperty> identifiers = properties.getProperties(SUBSCRIPTION_IDENTIFIER);
		Queue queue = delivering.get();
		if (identifiers.size() < 2 || queue == null) {
			return true;
		}
		Integer own = identifierOf(queue, connection.getClientID());
		if (own != null) {
			identifiers.clear();
			properties.add(new MqttProperties.IntegerProperty(SUBSCRIPTION_IDENTIFIER, own));
		}
		return true;
	}

	/** @return the subscription identifier of the client's subscription that the queue holds, if it has one */
	private @Nullable Integer identifierOf(Queue queue, @Nullable String clientId) {
		ActiveMQServer current = this.server;
		if (current == null || clientId == null) {
			return null;
		}
		try {
			MQTTSessionState state = MqttSessions.state(current, clientId);
			if (state == null) {
				return null;
			}
			WildcardConfiguration wildcards = current.getConfiguration().getWildcardConfiguration();
			String queueName = queue.getName().toString();
			for (Map.Entry<String, MQTTSessionState.SubscriptionItem> subscription : state.getSubscriptionsPlusID()
				.entrySet()) {
				if (queueName.equals(MQTTUtil.getCoreQueueFromMqttTopic(subscription.getKey(), clientId, wildcards))) {
					return subscription.getValue().getId();
				}
			}
		}
		catch (Exception ex) {
			// Left as Artemis wrote it.
		}
		return null;
	}

}
