package dev.mqttboot.broker.moquette;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * Stops reading from a client while the engine's session loops are congested ({@link SessionLoopPressure}), so that
 * TCP slows a fast publisher down instead of the engine dropping what overflows its queues; reads again once they are
 * relieved. Packets already read in the same batch as the one that paused reading wait here, in order. One instance
 * per connection, behind the {@link ConnectionGuard}, which passes packets on only once the engine has completed the
 * connection.
 */
final class SessionLoopBackpressure extends ChannelInboundHandlerAdapter {

	/** How often a paused client looks whether it may read again. */
	static final long RECHECK_MICROS = 500;

	private final SessionLoopPressure pressure;

	private int publishesSinceCheck;

	private boolean paused;

	/** Packets read after reading paused, in arrival order. */
	private final HeldPackets held = new HeldPackets();

	SessionLoopBackpressure(SessionLoopPressure pressure) {
		this.pressure = pressure;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.paused || !this.held.isEmpty()) {
			this.held.add(msg);
			// Reading may have been turned on again by the handler in front (once the engine completed the
			// connection): off again until the session loops are relieved.
			ctx.channel().config().setAutoRead(false);
			return;
		}
		pass(ctx, msg);
	}

	private void pass(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof MqttPublishMessage && ++this.publishesSinceCheck >= this.pressure.checkEvery()) {
			this.publishesSinceCheck = 0;
			if (!this.paused && this.pressure.congested()) {
				pause(ctx);
			}
		}
		ctx.fireChannelRead(msg);
	}

	private void pause(ChannelHandlerContext ctx) {
		this.paused = true;
		ctx.channel().config().setAutoRead(false);
		ctx.executor().schedule(() -> resumeWhenRelieved(ctx), RECHECK_MICROS, TimeUnit.MICROSECONDS);
	}

	private void resumeWhenRelieved(ChannelHandlerContext ctx) {
		if (!ctx.channel().isActive()) {
			return;
		}
		if (!this.pressure.relieved()) {
			ctx.executor().schedule(() -> resumeWhenRelieved(ctx), RECHECK_MICROS, TimeUnit.MICROSECONDS);
			return;
		}
		this.paused = false;
		boolean passed = false;
		Object next;
		while (!this.paused && (next = this.held.poll()) != null) {
			passed = true;
			pass(ctx, next);
		}
		if (passed) {
			ctx.fireChannelReadComplete();
		}
		if (!this.paused) {
			ctx.channel().config().setAutoRead(true);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.held.discard();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.held.discard();
	}

}
