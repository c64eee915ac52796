package dev.mqttboot.broker.moquette;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * A PUBLISH as the engine is to get it:
 * <ul>
 * <li>with a heap copy of its payload: the engine retains a payload and, on some paths, never releases it (a PUBLISH
 * that reaches a session already taken over by another connection, or one the connection's close overtakes). The
 * decoder's payload is a slice of the whole read buffer, so each such leak would pin pooled direct memory for good; a
 * heap copy is reclaimed by the garbage collector whatever the engine does with it;</li>
 * <li>without DUP below QoS 2: DUP is informational [MQTT-3.3.1-3], and Moquette 0.17 mishandles it on QoS 1.</li>
 * </ul>
 */
@ChannelHandler.Sharable
final class PublishCopies extends ChannelInboundHandlerAdapter {

	static final PublishCopies INSTANCE = new PublishCopies();

	private PublishCopies() {
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof MqttPublishMessage publish)) {
			ctx.fireChannelRead(msg);
			return;
		}
		MqttFixedHeader fixed = publish.fixedHeader();
		boolean clearDup = fixed.isDup() && fixed.qosLevel() != MqttQoS.EXACTLY_ONCE;
		MqttFixedHeader header = clearDup ? new MqttFixedHeader(fixed.messageType(), false, fixed.qosLevel(),
				fixed.isRetain(), fixed.remainingLength()) : fixed;
		ByteBuf payload = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(publish.payload()));
		publish.release();
		ctx.fireChannelRead(new MqttPublishMessage(header, publish.variableHeader(), payload));
	}

}
