package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerTraffic;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;

import io.moquette.broker.NettyUtils;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stands between the {@link ConnectionGuard} and the engine, one per connection, and makes what the engine delivers
 * follow MQTT 3.1.1 where Moquette 0.17 does not:
 * <ul>
 * <li>a persistent session that reconnects gets its unacknowledged PUBLISH (DUP=1) and PUBREL packets at once, right
 * after its CONNACK and before anything new [MQTT-4.4.0-1]; the engine would wait for its 5 s resend timer, and
 * reuse their packet ids for new deliveries;</li>
 * <li>the engine's resend of unacknowledged messages on a live connection follows {@code redelivery-interval}
 * (off by default);</li>
 * <li>a QoS 0 retained PUBLISH is stored as the topic's retained message [MQTT-3.3.1-5]; the engine would delete the
 * retained message instead (only an empty payload deletes, [MQTT-3.3.1-10]);</li>
 * <li>a retained message replayed at QoS 1/2 to a new subscription carries RETAIN=1 [MQTT-3.3.1-8];</li>
 * <li>a message on a topic that a {@code deny} access rule keeps from this client is withheld: it is never written,
 * and the engine is answered as the client would have (PUBACK, or PUBREC then PUBCOMP), so its in-flight window and
 * queue stay right.</li>
 * </ul>
 * It also bounds what waits for a slow subscriber: a QoS 0 message is dropped once {@code outbound-buffer-size} bytes
 * wait to be written to it (the engine's own check, channel writability, is kept out of the way because the engine
 * would also drop acknowledgements with it), and it counts deliveries and drops in {@link BrokerTraffic}.
 */
final class DeliveryConformance extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryConformance.class);

	/** Fired by the guard once the engine has completed the connection (its own resender is then in place). */
	static final Object ENGINE_CONNECTED = new Object();

	private final EngineHooks engine;

	private final AccessRules accessRules;

	private final BrokerTraffic traffic;

	private final long outboundLimit;

	private @Nullable String clientId;

	private @Nullable String username;

	/** Packet ids of QoS 2 deliveries withheld by a deny rule, whose PUBREL the client must not see either. */
	private @Nullable Set<Integer> withheldQos2;

	DeliveryConformance(EngineHooks engine, AccessRules accessRules, BrokerTraffic traffic, long outboundLimit) {
		this.engine = engine;
		this.accessRules = accessRules;
		this.traffic = traffic;
		this.outboundLimit = outboundLimit;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof MqttConnectMessage connect) {
			this.clientId = connect.payload().clientIdentifier();
			this.username = connect.variableHeader().hasUserName() ? connect.payload().userName() : null;
		}
		else if (msg instanceof MqttPublishMessage publish && publish.fixedHeader().isRetain()
				&& publish.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE && publish.payload().isReadable()) {
			routeThenStoreRetained(ctx, publish);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	/**
	 * Let the engine route a retained QoS 0 message as a plain one (subscribers get RETAIN=0 for it, [MQTT-3.3.1-9]),
	 * then store it as the topic's retained message. The engine queues the routing on the publisher's session loop
	 * while this runs, and the store is queued right behind it.
	 */
	private void routeThenStoreRetained(ChannelHandlerContext ctx, MqttPublishMessage publish) {
		String topic = publish.variableHeader().topicName();
		byte[] payload = ByteBufUtil.getBytes(publish.payload());
		ctx.fireChannelRead(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
				MqttQoS.AT_MOST_ONCE, false, publish.fixedHeader().remainingLength()), publish.variableHeader(),
				publish.payload()));
		// A PUBLISH comes after the CONNECT (the guard in front closes a connection that sends one before).
		String clientId = Objects.requireNonNull(this.clientId, "client id");
		if (!this.engine.storeRetained(clientId, topic, payload, MqttQoS.AT_MOST_ONCE)) {
			logger.warn("Retained message on '{}' from client '{}' not stored: the engine's queue is full", topic,
					this.clientId);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event == ENGINE_CONNECTED) {
			// The id the engine assigned to a client that sent an empty one; publishes and deliveries come after this.
			String assigned = NettyUtils.clientID(ctx.channel());
			if (assigned != null) {
				this.clientId = assigned;
			}
			this.engine.connectionCompleted(ctx.channel());
			return;
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof MqttPublishMessage publish) {
			writePublish(ctx, publish, promise);
			return;
		}
		if (msg instanceof MqttConnAckMessage connack
				&& connack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED
				&& connack.variableHeader().isSessionPresent()) {
			writeConnAckThenUnacknowledged(ctx, connack, promise);
			return;
		}
		if (this.withheldQos2 != null && msg instanceof MqttMessage message
				&& message.fixedHeader().messageType() == MqttMessageType.PUBREL
				&& message.variableHeader() instanceof MqttMessageIdVariableHeader id
				&& this.withheldQos2.remove(id.messageId())) {
			promise.setSuccess();
			ctx.fireChannelRead(acknowledgement(MqttMessageType.PUBCOMP, id.messageId()));
			return;
		}
		ctx.write(msg, promise);
	}

	private void writePublish(ChannelHandlerContext ctx, MqttPublishMessage publish, ChannelPromise promise) {
		MqttFixedHeader fixed = publish.fixedHeader();
		String topic = publish.variableHeader().topicName();
		if (this.accessRules.deniesRead(topic, this.username, this.clientId)) {
			this.traffic.countDropped(BrokerTraffic.DropReason.ACCESS_DENIED);
			withhold(ctx, publish, promise);
			return;
		}
		if (fixed.qosLevel() == MqttQoS.AT_MOST_ONCE && pendingBytes(ctx) > this.outboundLimit) {
			this.traffic.countDropped(BrokerTraffic.DropReason.SLOW_SUBSCRIBER);
			ReferenceCountUtil.release(publish);
			promise.setSuccess();
			return;
		}
		this.traffic.countDelivered(fixed.qosLevel().value());
		if (fixed.qosLevel() != MqttQoS.AT_MOST_ONCE && !fixed.isRetain()
				&& this.engine.isRetainedReplay(publish.payload())) {
			MqttPublishMessage retained = new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH,
					fixed.isDup(), fixed.qosLevel(), true, fixed.remainingLength()), publish.variableHeader(),
					publish.payload());
			ctx.write(retained, promise);
			return;
		}
		ctx.write(publish, promise);
	}

	private void withhold(ChannelHandlerContext ctx, MqttPublishMessage publish, ChannelPromise promise) {
		MqttQoS qos = publish.fixedHeader().qosLevel();
		int packetId = publish.variableHeader().packetId();
		ReferenceCountUtil.release(publish);
		promise.setSuccess();
		if (qos == MqttQoS.AT_LEAST_ONCE) {
			ctx.fireChannelRead(acknowledgement(MqttMessageType.PUBACK, packetId));
		}
		else if (qos == MqttQoS.EXACTLY_ONCE) {
			if (this.withheldQos2 == null) {
				this.withheldQos2 = new HashSet<>();
			}
			this.withheldQos2.add(packetId);
			ctx.fireChannelRead(acknowledgement(MqttMessageType.PUBREC, packetId));
		}
	}

	private void writeConnAckThenUnacknowledged(ChannelHandlerContext ctx, MqttConnAckMessage connack,
			ChannelPromise promise) {
		this.engine.unacknowledged(ctx.channel()).whenComplete((packets, failure) -> ctx.executor().execute(() -> {
			ctx.write(connack, promise);
			if (failure != null) {
				logger.warn("Unacknowledged messages of client '{}' not resent on reconnect: {}", this.clientId,
						failure.getMessage());
			}
			else {
				writeAll(ctx, packets);
			}
			ctx.flush();
		}));
	}

	private void writeAll(ChannelHandlerContext ctx, List<MqttMessage> packets) {
		for (MqttMessage packet : packets) {
			write(ctx, packet, ctx.voidPromise());
		}
	}

	private static long pendingBytes(ChannelHandlerContext ctx) {
		ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	private static MqttMessage acknowledgement(MqttMessageType type, int packetId) {
		return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 2),
				MqttMessageIdVariableHeader.from(packetId));
	}

}
