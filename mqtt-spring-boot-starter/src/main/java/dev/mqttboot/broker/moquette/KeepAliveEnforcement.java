package dev.mqttboot.broker.moquette;

import java.util.concurrent.TimeUnit;

import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The keep-alive a connection is held to, one instance per connection. The CONNECT reaches the engine with the
 * keep-alive in effect ({@link KeepAliveCeiling}: none asked, or more than the ceiling, becomes the ceiling). Once
 * the engine has completed the connection, the idle timer is re-armed in milliseconds [MQTT-3.1.2-24]: Moquette arms it
 * in whole seconds, rounded (a keep-alive of 1 s became 2 s, 3 s became 5 s), under the pipeline name
 * {@link ConnectionGuard#IDLE_TIMER}. Then it leaves the pipeline.
 */
final class KeepAliveEnforcement extends EngineConnectedHandler {

	private final KeepAliveCeiling ceiling;

	private int keepAlive;

	KeepAliveEnforcement(KeepAliveCeiling ceiling) {
		this.ceiling = ceiling;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof MqttConnectMessage connect) {
			int requested = connect.variableHeader().keepAliveTimeSeconds();
			this.keepAlive = this.ceiling.inEffect(requested);
			ctx.fireChannelRead((this.keepAlive != requested) ? ConnectRewrite.withKeepAlive(connect, this.keepAlive)
					: connect);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	protected void engineConnected(ChannelHandlerContext ctx) {
		if (this.keepAlive > 0 && ctx.pipeline().get(ConnectionGuard.IDLE_TIMER) != null) {
			ctx.pipeline().replace(ConnectionGuard.IDLE_TIMER, ConnectionGuard.IDLE_TIMER,
					new IdleStateHandler(this.keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
		}
	}

}
