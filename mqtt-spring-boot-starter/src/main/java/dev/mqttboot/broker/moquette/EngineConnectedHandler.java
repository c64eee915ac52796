package dev.mqttboot.broker.moquette;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A handler whose job ends when the engine has completed the connection ({@link DeliveryConformance#ENGINE_CONNECTED},
 * fired by {@link ConnectionGuard}): it does its last step then, passes the event on and leaves the pipeline, so the
 * connection's other packets take no hop through it.
 */
abstract class EngineConnectedHandler extends ChannelInboundHandlerAdapter {

	@Override
	public final void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event != DeliveryConformance.ENGINE_CONNECTED) {
			super.userEventTriggered(ctx, event);
			return;
		}
		engineConnected(ctx);
		super.userEventTriggered(ctx, event);
		ctx.pipeline().remove(this);
	}

	/**
	 * The engine has completed the connection: the last step of this handler's job.
	 * @param ctx this handler's context
	 */
	protected abstract void engineConnected(ChannelHandlerContext ctx);

}
