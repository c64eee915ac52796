package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.BrokerEvent;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose reader went idle: no CONNECT within the connect timeout, or silence for 1.5x the
 * keep-alive in effect (the engine re-arms the idle timer after CONNECT).
 */
@Sharable
final class IdleConnectionCloser extends ChannelInboundHandlerAdapter {

	static final IdleConnectionCloser INSTANCE = new IdleConnectionCloser();

	private static final Logger logger = LoggerFactory.getLogger(IdleConnectionCloser.class);

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof IdleStateEvent) {
			logger.debug("Closing idle MQTT connection {}", ctx.channel().remoteAddress());
			ConnectionLedger.closeReason(ctx.channel(), BrokerEvent.DisconnectReason.KEEPALIVE);
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

}
