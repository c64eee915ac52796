package dev.mqttboot.broker;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in every connection's pipeline, whichever engine runs it: counts the bytes read from and written to the
 * socket.
 */
@Sharable
public final class TrafficCounter extends ChannelDuplexHandler {

	private final BrokerTraffic traffic;

	/** @param traffic where the bytes are counted */
	public TrafficCounter(BrokerTraffic traffic) {
		this.traffic = traffic;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.traffic.countReceived(size(msg));
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		this.traffic.countSent(size(msg));
		ctx.write(msg, promise);
	}

	private static long size(Object msg) {
		if (msg instanceof ByteBuf buffer) {
			return buffer.readableBytes();
		}
		if (msg instanceof ByteBufHolder holder) {
			return holder.content().readableBytes();
		}
		return 0;
	}

}
