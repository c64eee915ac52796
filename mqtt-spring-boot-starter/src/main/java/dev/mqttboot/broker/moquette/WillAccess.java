package dev.mqttboot.broker.moquette;

import io.moquette.broker.NettyUtils;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import org.jspecify.annotations.Nullable;

/**
 * A will is checked like a PUBLISH of its client, when the CONNECT arrives: Moquette 0.17 would publish it unchecked.
 * One the access rules refuse is taken out of the CONNECT (the connection is still accepted, as Mosquitto does), and
 * reported once the engine has completed the connection; then it leaves the pipeline. One instance per connection.
 */
final class WillAccess extends EngineConnectedHandler {

	private final AccessRules accessRules;

	/** The topic of a will the rules refused, until the connection is complete. */
	private @Nullable String deniedWillTopic;

	private @Nullable String username;

	WillAccess(AccessRules accessRules) {
		this.accessRules = accessRules;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof MqttConnectMessage connect && connect.variableHeader().isWillFlag()) {
			String topic = connect.payload().willTopic();
			this.username = connect.variableHeader().hasUserName() ? connect.payload().userName() : null;
			if (!this.accessRules.allowsWill(topic, this.username, connect.payload().clientIdentifier())) {
				this.deniedWillTopic = topic;
				ctx.fireChannelRead(ConnectRewrite.withoutWill(connect));
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	protected void engineConnected(ChannelHandlerContext ctx) {
		if (this.deniedWillTopic != null) {
			// The engine has set the client id by now, an assigned one included.
			this.accessRules.willDenied(this.deniedWillTopic, this.username, NettyUtils.clientID(ctx.channel()));
			this.deniedWillTopic = null;
		}
	}

}
