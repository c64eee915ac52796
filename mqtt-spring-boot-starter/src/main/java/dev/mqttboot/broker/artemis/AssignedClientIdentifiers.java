package dev.mqttboot.broker.artemis;

import java.util.UUID;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.util.AttributeKey;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * [MQTT-3.1.3-6], [MQTT-3.2.2-16] An MQTT 5 client may connect with a zero-length client id whatever its Clean Start:
 * the server assigns one and returns it in the CONNACK's Assigned Client Identifier. Artemis 2.53 assigns one only
 * with Clean Start 1 (MQTT 3.1.1's rule) and refuses the rest with 0x85. This gives such a CONNECT an id of the
 * broker's before Artemis reads it, and puts that id in the CONNACK.
 */
final class AssignedClientIdentifiers implements ActiveMQServerConnectionPlugin {

	private static final AttributeKey<String> ASSIGNED = AttributeKey.valueOf("mqttboot.assigned-client-id");

	private static final String HANDLER = "mqttboot-assign-client-id";

	@Override
	public void registered(ActiveMQServer server) {
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	@Override
	public void afterCreateConnection(RemotingConnection connection) {
		Channel channel = MqttSessions.clientChannel(connection);
		if (channel == null) {
			return;
		}
		ChannelPipeline pipeline = channel.pipeline();
		ChannelHandlerContext decoder = pipeline.context(MqttDecoder.class);
		if (decoder != null && pipeline.get(HANDLER) == null) {
			pipeline.addAfter(decoder.name(), HANDLER, new ConnectRewriter());
		}
	}

	private boolean outgoing(MqttMessage message, RemotingConnection connection) {
		if (message.fixedHeader().messageType() == MqttMessageType.CONNACK
				&& connection.getTransportConnection() instanceof NettyConnection netty) {
			String assigned = netty.getChannel().attr(ASSIGNED).get();
			MqttConnAckMessage connAck = (MqttConnAckMessage) message;
			boolean accepted = connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED;
			MqttProperties properties = connAck.variableHeader().properties();
			int property = MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value();
			if (assigned != null && accepted && properties != MqttProperties.NO_PROPERTIES
					&& properties.getProperty(property) == null) {
				properties.add(new MqttProperties.StringProperty(property, assigned));
			}
		}
		return true;
	}

	/** Looks at the first packet only, then leaves the pipeline. */
	private static final class ConnectRewriter extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			Object forwarded = msg;
			if (msg instanceof MqttConnectMessage connect && connect.variableHeader().version() == 5
					&& connect.payload().clientIdentifier() != null && connect.payload().clientIdentifier().isEmpty()
					&& !connect.variableHeader().isCleanSession()) {
				String id = "mqttboot-" + UUID.randomUUID();
				ctx.channel().attr(ASSIGNED).set(id);
				MqttConnectPayload payload = connect.payload();
				forwarded = new MqttConnectMessage(connect.fixedHeader(), connect.variableHeader(),
						new MqttConnectPayload(id, payload.willProperties(), payload.willTopic(),
								payload.willMessageInBytes(), payload.userName(), payload.passwordInBytes()));
			}
			ctx.pipeline().remove(this);
			ctx.fireChannelRead(forwarded);
		}

	}

}
