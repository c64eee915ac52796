package dev.mqttboot.broker.artemis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.util.AttributeKey;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.CoreNotificationType;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTConnection;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTReasonCodes;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.ProtocolHandler;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.management.Notification;
import org.apache.activemq.artemis.core.server.management.NotificationListener;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.utils.collections.TypedProperties;
import org.jspecify.annotations.Nullable;

/**
 * [MQTT-3.1.4-3] An MQTT 5 client whose client id connected to another cluster node gets DISCONNECT with reason
 * Session taken over (0x8E) before its connection here closes, as on a takeover within one node.
 * <p>
 * Artemis closes that connection itself, on the SESSION_CREATED notification the other node sends, but without a
 * DISCONNECT. This marks the connection first, then hands the notification to Artemis's MQTT protocol managers (in
 * Artemis's place as listeners: the server calls its listeners in no set order, and a close that ran before the mark
 * went out without the DISCONNECT, once in four runs); a handler on the connection's channel writes the DISCONNECT when
 * the close reaches it.
 */
final class ClusterTakeoverNotice implements NotificationListener {

	private static final AttributeKey<Boolean> TAKEN_OVER = AttributeKey.valueOf(ClusterTakeoverNotice.class,
			"takenOver");

	private final ActiveMQServer server;

	/** Artemis's MQTT protocol managers, which this listener calls after its own work. */
	private final List<NotificationListener> artemis = new CopyOnWriteArrayList<>();

	private ClusterTakeoverNotice(ActiveMQServer server) {
		this.server = server;
	}

	/**
	 * Listen to the server's notifications for takeovers by other nodes, ahead of Artemis's MQTT protocol managers.
	 * @param server the active server, its acceptors started
	 */
	static void listen(ActiveMQServer server) {
		ClusterTakeoverNotice notice = new ClusterTakeoverNotice(server);
		for (Acceptor acceptor : server.getRemotingService().getAcceptors().values()) {
			ProtocolHandler handler = (acceptor instanceof NettyAcceptor netty) ? netty.getProtocolHandler() : null;
			if (handler != null && handler.getProtocol("MQTT") instanceof NotificationListener mqtt
					&& !notice.artemis.contains(mqtt)) {
				server.getManagementService().removeNotificationListener(mqtt);
				notice.artemis.add(mqtt);
			}
		}
		server.getManagementService().addNotificationListener(notice);
	}

	/** Have an MQTT 5 client's channel tell the client when its session is taken over on another node. */
	static void watch(Channel channel) {
		if (channel.pipeline().get(Handler.class) == null) {
			channel.pipeline().addLast(new Handler());
		}
	}

	@Override
	public void onNotification(Notification notification) {
		if (notification.getType() == CoreNotificationType.SESSION_CREATED) {
			mark(notification);
		}
		for (NotificationListener listener : this.artemis) {
			listener.onNotification(notification);
		}
	}

	private void mark(Notification notification) {
		TypedProperties properties = notification.getProperties();
		SimpleString protocol = properties.getSimpleStringProperty(ManagementHelper.HDR_PROTOCOL_NAME);
		Integer distance = properties.getIntProperty(ManagementHelper.HDR_DISTANCE);
		SimpleString clientId = properties.getSimpleStringProperty(ManagementHelper.HDR_CLIENT_ID);
		if (protocol == null || !protocol.toString().startsWith("MQTT") || distance == null || distance <= 0
				|| clientId == null) {
			return;
		}
		MQTTStateManager manager = MqttSessions.stateManager(this.server);
		MQTTConnection connection = (manager != null) ? manager.getConnectedClient(clientId.toString()) : null;
		Channel channel = (connection != null) ? MqttSessions.clientChannel(connection) : null;
		if (channel != null) {
			channel.attr(TAKEN_OVER).set(Boolean.TRUE);
		}
	}

	/** Writes DISCONNECT 0x8E ahead of a close that a takeover on another node caused. */
	private static final class Handler extends ChannelOutboundHandlerAdapter {

		@Override
		public void close(ChannelHandlerContext ctx, @Nullable ChannelPromise promise) throws Exception {
			if (Boolean.TRUE.equals(ctx.channel().attr(TAKEN_OVER).getAndSet(null))) {
				// Written from this handler on, towards the socket, through the MQTT encoder before it.
				ctx.writeAndFlush(MqttMessageFactory.newMessage(
						new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
						new MqttReasonCodeAndPropertiesVariableHeader(MQTTReasonCodes.SESSION_TAKEN_OVER,
								MqttProperties.NO_PROPERTIES),
						null));
			}
			super.close(ctx, promise);
		}

	}

}
