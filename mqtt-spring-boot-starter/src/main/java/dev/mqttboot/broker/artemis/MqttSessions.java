package dev.mqttboot.broker.artemis;

import io.netty.channel.Channel;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;

/**
 * Where the starter's Artemis parts find an MQTT client's state: its session state by client id, and the Netty
 * channel of a client connection (not one of the cluster's own core-protocol links).
 */
final class MqttSessions {

	private MqttSessions() {
	}

	/**
	 * @param server the running engine, or {@code null}
	 * @return its MQTT state manager, or {@code null} when it is not running or has none
	 */
	static @Nullable MQTTStateManager stateManager(@Nullable ActiveMQServer server) {
		if (server == null) {
			return null;
		}
		try {
			return MQTTStateManager.getInstance(server);
		}
		catch (Exception ex) {
			return null;
		}
	}

	/**
	 * @param server the running engine, or {@code null}
	 * @param clientId the client id
	 * @return the client's session state, or {@code null} when there is none (or no engine)
	 */
	static @Nullable MQTTSessionState state(@Nullable ActiveMQServer server, @Nullable String clientId) {
		MQTTStateManager manager = stateManager(server);
		return (manager != null && clientId != null) ? manager.getSessionStates().get(clientId) : null;
	}

	/**
	 * The cluster's own links (bridges, replication, quorum votes, topology) speak Artemis's core protocol: no MQTT
	 * client behind them.
	 * @param connection a connection Artemis created
	 * @return its Netty channel when it is a client's (MQTT, or not yet known), else {@code null}
	 */
	static @Nullable Channel clientChannel(RemotingConnection connection) {
		if (!(connection.getTransportConnection() instanceof NettyConnection netty)
				|| ActiveMQClient.DEFAULT_CORE_PROTOCOL.equals(connection.getProtocolName())) {
			return null;
		}
		return netty.getChannel();
	}

}
