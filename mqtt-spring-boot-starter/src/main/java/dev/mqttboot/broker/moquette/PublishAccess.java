package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.protocol.AnsweredExchanges;
import io.moquette.broker.NettyUtils;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * A PUBLISH the access rules refuse is acknowledged here and dropped: Moquette 0.17 drops it without PUBACK or PUBREC,
 * which stalls the client's in-flight window for good. QoS 2 takes the PUBREC now and the PUBCOMP when the PUBREL
 * comes ({@link AnsweredExchanges}). It sees packets only once the engine has completed the connection, so the client
 * id and user name are the engine's. One instance per connection.
 */
final class PublishAccess extends ChannelInboundHandlerAdapter {

	private final AccessRules accessRules;

	private final AnsweredExchanges refused = new AnsweredExchanges();

	PublishAccess(AccessRules accessRules) {
		this.accessRules = accessRules;
	}

	/** The engine's client id and user name, read once: they do not change while the connection lasts. */
	private @Nullable String clientId;

	private @Nullable String username;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof MqttPublishMessage && this.clientId == null) {
			this.clientId = NettyUtils.clientID(ctx.channel());
			this.username = NettyUtils.userName(ctx.channel());
		}
		if (msg instanceof MqttPublishMessage publish
				&& !this.accessRules.allowsPublish(publish.variableHeader().topicName(), this.username, this.clientId)) {
			MqttMessage answer = this.refused.answer(publish.fixedHeader().qosLevel().value(),
					publish.variableHeader().packetId());
			ReferenceCountUtil.release(publish);
			if (answer != null) {
				ctx.writeAndFlush(answer);
			}
			return;
		}
		if (msg instanceof MqttMessage message && message.fixedHeader().messageType() == MqttMessageType.PUBREL
				&& message.variableHeader() instanceof MqttMessageIdVariableHeader id) {
			MqttMessage completion = this.refused.release(id.messageId());
			if (completion != null) {
				ctx.writeAndFlush(completion);
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

}
