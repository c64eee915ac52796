package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.BrokerEvent;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * MQTT over WebSocket carries the MQTT byte stream in binary frames; a packet may span frames and a frame may hold
 * several packets, so frames are turned back into a plain byte stream for the MQTT decoder.
 */
final class WebSocketFrames {

	private WebSocketFrames() {
	}

	/** Binary and continuation frames to bytes; any other data frame is a protocol error. */
	@Sharable
	static final class ToBytes extends MessageToMessageDecoder<WebSocketFrame> {

		static final ToBytes INSTANCE = new ToBytes();

		@Override
		protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
			if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
				out.add(frame.content().retain());
				return;
			}
			ConnectionLedger.closeReason(ctx.channel(), BrokerEvent.DisconnectReason.SERVER);
			ctx.close();
		}

	}

	/** Bytes to binary frames. */
	@Sharable
	static final class FromBytes extends MessageToMessageEncoder<ByteBuf> {

		static final FromBytes INSTANCE = new FromBytes();

		@Override
		protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
			out.add(new BinaryWebSocketFrame(bytes.retain()));
		}

	}

}
