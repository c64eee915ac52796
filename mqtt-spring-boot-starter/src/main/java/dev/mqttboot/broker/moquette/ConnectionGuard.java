package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.RefusalReasons;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.Transport;
import dev.mqttboot.broker.protocol.AnsweredExchanges;
import dev.mqttboot.broker.protocol.ConnectDeadline;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import io.moquette.broker.EngineAccess;
import io.moquette.broker.NettyUtils;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in every connection's pipeline between the MQTT decoder and the engine, one instance per connection.
 * <p>
 * It is why no client can take the broker down: Moquette 0.17 runs client commands on a few shared session loops and
 * any exception there ends a loop for every client hashed to it. So every packet is checked here first, and a client
 * that breaks the protocol loses its own connection, nothing else:
 * <ul>
 * <li>the first packet must be CONNECT, and there is only one CONNECT per connection;</li>
 * <li>will QoS, topic names and topic filters must be valid and within the configured depth and length;</li>
 * <li>a will the access rules do not let its client publish is taken out of the CONNECT (the engine would publish
 * it unchecked), and reported once the connection is accepted;</li>
 * <li>DUP on a QoS 1 PUBLISH is informational (MQTT 3.1.1, 3.3.1.1), so it is cleared before the engine sees it;</li>
 * <li>packets that arrive before the CONNACK is out are held until the engine has marked the connection connected
 * (Moquette does that in a write listener, and a SUBSCRIBE read earlier was refused). Reading from the socket pauses
 * from CONNECT until then: a client that publishes and hangs up the moment it has its CONNACK (mosquitto_pub does)
 * would otherwise be seen as gone, and its held packets dropped, before the engine could take them;</li>
 * <li>reading also pauses while the engine's session-loop queues are congested ({@link SessionLoopPressure}), so that
 * TCP slows a fast publisher down instead of the engine dropping what overflows;</li>
 * <li>a PUBLISH reaches the engine with a heap copy of its payload, which the garbage collector reclaims even where
 * the engine forgets to release it.</li>
 * </ul>
 * It also closes a connection that has not sent a complete CONNECT within the connect timeout, however slowly its
 * bytes arrive, and applies the keep-alive ceiling, by rewriting the keep-alive of a CONNECT that asks for none or for more, and
 * reports connects, refusals and disconnects to the {@link ConnectionLedger}. The rules themselves are the engine-neutral
 * {@link PacketRules}, {@link KeepAliveCeiling} and {@link ConnectDeadline}, which the Artemis engine applies too.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionGuard.class);

	/** The pipeline name of the idle timer, which the engine re-arms after CONNECT. */
	static final String IDLE_TIMER = "idleStateHandler";

	/** Packets a client may send after CONNECT and before it receives its CONNACK. */
	static final int MAX_PACKETS_BEFORE_CONNACK = 1024;

	/** How long a connection refused mid-CONNECT waits for the engine's CONNACK before it is closed anyway. */
	static final long CLOSE_AFTER_CONNACK_TIMEOUT_SECONDS = 10;

	/** How often a client paused for backpressure looks whether it may read again. */
	static final long PRESSURE_RECHECK_MICROS = 500;

	private enum State {

		AWAITING_CONNECT, AWAITING_CONNACK, CONNECTED,

		/** Refused while the engine was still completing the CONNECT: closed as soon as its CONNACK is out. */
		CLOSING_AFTER_CONNACK,

		CLOSED

	}

	private final Transport transport;

	private final PacketRules rules;

	private final Duration connectTimeout;

	private final KeepAliveCeiling keepAliveCeiling;

	private final ConnectionLedger connections;

	private final AccessRules accessRules;

	private final SessionLoopPressure pressure;

	private int publishesSinceCheck;

	/** Reading is paused because the engine's session loops are congested. */
	private boolean pausedForPressure;

	/** Publishes the access rules refused, acknowledged here for the client. */
	private final AnsweredExchanges refused = new AnsweredExchanges();

	/**
	 * Checked packets not yet passed to the engine, in arrival order: those read before the engine completed the
	 * connection, and those read after reading paused for backpressure.
	 */
	private Queue<Object> held;

	private State state = State.AWAITING_CONNECT;

	private MqttConnectMessage connect;

	private int requestedKeepAlive;

	/** The CONNECT's protocol level (4: MQTT 3.1.1), 0 before it. */
	private int protocolLevel;

	private int keepAlive;

	private String clientId;

	private String username;

	/** The will topic of a CONNECT whose will the access rules refused, until the connection is accepted. */
	private String deniedWillTopic;

	private boolean registered;

	ConnectionGuard(Transport transport, PacketRules rules, Duration connectTimeout, KeepAliveCeiling keepAliveCeiling,
			ConnectionLedger connections, AccessRules accessRules, SessionLoopPressure pressure) {
		this.pressure = pressure;
		this.transport = transport;
		this.rules = rules;
		this.connectTimeout = connectTimeout;
		this.keepAliveCeiling = keepAliveCeiling;
		this.connections = connections;
		this.accessRules = accessRules;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		ConnectDeadline.arm(ctx.channel(), this.connectTimeout, () -> this.state != State.AWAITING_CONNECT, () -> {
			logger.debug("Closing MQTT connection {}: no complete CONNECT within {}", ctx.channel().remoteAddress(),
					this.connectTimeout);
			this.state = State.CLOSED;
			discardHeld();
		});
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.state == State.CLOSED || this.state == State.CLOSING_AFTER_CONNACK) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (!(msg instanceof MqttMessage message)) {
			reject(ctx, msg, "not an MQTT packet");
			return;
		}
		if (message.decoderResult().isFailure()) {
			reject(ctx, msg, "malformed packet (" + message.decoderResult().cause().getMessage() + ")");
			return;
		}
		if (message.fixedHeader() == null) {
			reject(ctx, msg, "malformed packet");
			return;
		}
		MqttMessageType type = message.fixedHeader().messageType();
		String violation = this.rules.sequence(type, this.state != State.AWAITING_CONNECT);
		if (violation != null) {
			reject(ctx, msg, violation);
			return;
		}
		if (type == MqttMessageType.CONNECT) {
			onConnect(ctx, (MqttConnectMessage) message);
			return;
		}
		Object checked = check(ctx, message);
		if (checked == null) {
			return;
		}
		if (this.state == State.AWAITING_CONNACK) {
			if (held().size() >= MAX_PACKETS_BEFORE_CONNACK) {
				reject(ctx, checked, "more than " + MAX_PACKETS_BEFORE_CONNACK + " packets before CONNACK");
				return;
			}
			held().add(checked);
			return;
		}
		if (this.pausedForPressure || (this.held != null && !this.held.isEmpty())) {
			// Read in the same batch as the packet that paused reading: it waits, in order, for the engine.
			held().add(checked);
			return;
		}
		forward(ctx, checked);
	}

	/**
	 * Pass held packets to the engine while connected and not paused.
	 * @return whether any was passed
	 */
	private boolean forwardHeld(ChannelHandlerContext ctx) {
		boolean forwarded = false;
		Object next;
		while (this.state == State.CONNECTED && !this.pausedForPressure && this.held != null
				&& (next = this.held.poll()) != null) {
			forwarded = true;
			forward(ctx, next);
		}
		if (forwarded) {
			ctx.fireChannelReadComplete();
		}
		return forwarded;
	}

	/**
	 * Pass a checked packet to the engine once the connection is connected. Publishes the access rules deny are
	 * acknowledged here and dropped: Moquette 0.17 drops them without PUBACK or PUBREC, which stalls the client's
	 * in-flight window for good.
	 */
	private void forward(ChannelHandlerContext ctx, Object packet) {
		if (packet instanceof MqttPublishMessage publish) {
			String topic = publish.variableHeader().topicName();
			if (!this.accessRules.allowsPublish(topic, this.username, this.clientId)) {
				MqttMessage answer = this.refused.answer(publish.fixedHeader().qosLevel().value(),
						publish.variableHeader().packetId());
				ReferenceCountUtil.release(publish);
				if (answer != null) {
					ctx.writeAndFlush(answer);
				}
				return;
			}
			if (++this.publishesSinceCheck >= this.pressure.checkEvery()) {
				this.publishesSinceCheck = 0;
				if (!this.pausedForPressure && this.pressure.congested()) {
					pauseForPressure(ctx);
				}
			}
		}
		else if (packet instanceof MqttMessage message
				&& message.fixedHeader().messageType() == MqttMessageType.PUBREL
				&& message.variableHeader() instanceof MqttMessageIdVariableHeader id) {
			MqttMessage completion = this.refused.release(id.messageId());
			if (completion != null) {
				ctx.writeAndFlush(completion);
				return;
			}
		}
		ctx.fireChannelRead(packet);
	}

	/**
	 * Stop reading from this client until the session loops have caught up; what was already read waits in
	 * {@link #held}.
	 */
	private void pauseForPressure(ChannelHandlerContext ctx) {
		this.pausedForPressure = true;
		ctx.channel().config().setAutoRead(false);
		ctx.executor().schedule(() -> resumeWhenRelieved(ctx), PRESSURE_RECHECK_MICROS, TimeUnit.MICROSECONDS);
	}

	private void resumeWhenRelieved(ChannelHandlerContext ctx) {
		if (this.state == State.CLOSED || !ctx.channel().isActive()) {
			return;
		}
		if (!this.pressure.relieved()) {
			ctx.executor().schedule(() -> resumeWhenRelieved(ctx), PRESSURE_RECHECK_MICROS, TimeUnit.MICROSECONDS);
			return;
		}
		this.pausedForPressure = false;
		forwardHeld(ctx);
		if (this.state == State.CONNECTED && !this.pausedForPressure) {
			ctx.channel().config().setAutoRead(true);
		}
	}

	private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage message) {
		MqttConnectVariableHeader header = message.variableHeader();
		this.clientId = message.payload().clientIdentifier();
		this.username = header.hasUserName() ? message.payload().userName() : null;
		String violation = this.rules.connect(message);
		if (violation != null) {
			reject(ctx, message, violation);
			return;
		}
		this.protocolLevel = header.version();
		this.requestedKeepAlive = header.keepAliveTimeSeconds();
		this.keepAlive = this.keepAliveCeiling.inEffect(this.requestedKeepAlive);
		// Moquette 0.17 publishes a will unchecked: one the rules refuse never reaches it (reported on acceptance).
		this.deniedWillTopic = (header.isWillFlag()
				&& !this.accessRules.allowsWill(message.payload().willTopic(), this.username, this.clientId))
						? message.payload().willTopic() : null;
		MqttConnectMessage forwarded = (this.keepAlive == this.requestedKeepAlive && this.deniedWillTopic == null)
				? message : forwarded(message, this.keepAlive, this.deniedWillTopic == null);
		this.connect = forwarded;
		this.state = State.AWAITING_CONNACK;
		// Packets already decoded from this read are still held; nothing more is read (not even the end of the
		// stream) until the engine has completed the connection.
		ctx.channel().config().setAutoRead(false);
		ctx.fireChannelRead(forwarded);
	}

	/** The CONNECT as the engine gets it: with the keep-alive in effect, and without its will when it is dropped. */
	private static MqttConnectMessage forwarded(MqttConnectMessage message, int keepAlive, boolean keepWill) {
		MqttConnectVariableHeader h = message.variableHeader();
		boolean will = keepWill && h.isWillFlag();
		MqttConnectVariableHeader header = new MqttConnectVariableHeader(h.name(), h.version(), h.hasUserName(),
				h.hasPassword(), will && h.isWillRetain(), will ? h.willQos() : 0, will, h.isCleanSession(), keepAlive,
				h.properties());
		MqttConnectPayload p = message.payload();
		MqttConnectPayload payload = will ? p
				: new MqttConnectPayload(p.clientIdentifier(), null, null, (byte[]) null, p.userName(),
						p.passwordInBytes());
		return new MqttConnectMessage(message.fixedHeader(), header, payload);
	}

	/**
	 * Validate a packet sent after CONNECT.
	 * @return the packet to pass on (possibly normalised), or {@code null} when the connection was closed
	 */
	private Object check(ChannelHandlerContext ctx, MqttMessage message) {
		String violation = this.rules.content(message, this.protocolLevel);
		if (violation != null) {
			return reject(ctx, message, violation);
		}
		return switch (message.fixedHeader().messageType()) {
			case PUBLISH -> normalised((MqttPublishMessage) message);
			case DISCONNECT -> {
				ConnectionLedger.closeReason(ctx.channel(), BrokerEvent.DisconnectReason.CLIENT);
				yield message;
			}
			default -> message;
		};
	}

	/** The PUBLISH as the engine gets it: DUP cleared below QoS 2, its payload a heap copy of its own. */
	private static MqttPublishMessage normalised(MqttPublishMessage message) {
		MqttFixedHeader fixed = message.fixedHeader();
		// The engine mishandles DUP on QoS 1; for QoS 0 and 1 it carries no meaning for the receiver.
		boolean clearDup = fixed.isDup() && fixed.qosLevel() != MqttQoS.EXACTLY_ONCE;
		MqttFixedHeader header = clearDup ? new MqttFixedHeader(fixed.messageType(), false, fixed.qosLevel(),
				fixed.isRetain(), fixed.remainingLength()) : fixed;
		// The engine retains a payload and, on some paths, never releases it: a PUBLISH that reaches a session
		// already taken over by another connection, or one the connection's close overtakes. The decoder's payload is
		// a slice of the whole read buffer, so each such leak would pin pooled direct memory for good. A heap copy of
		// its own is reclaimed by the garbage collector whatever the engine does with it.
		ByteBuf payload = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(message.payload()));
		message.release();
		return new MqttPublishMessage(header, message.variableHeader(), payload);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof MqttConnAckMessage && this.state == State.CLOSING_AFTER_CONNACK) {
			ChannelPromise written = promise.unvoid();
			written.addListener((future) -> ctx.close());
			ctx.write(msg, written);
			return;
		}
		if (msg instanceof MqttConnAckMessage connack && this.state == State.AWAITING_CONNACK) {
			MqttConnectReturnCode code = connack.variableHeader().connectReturnCode();
			if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
				register(ctx);
				ChannelPromise written = promise.unvoid();
				written.addListener((future) -> {
					if (future.isSuccess()) {
						ctx.executor().execute(() -> onConnackSent(ctx, 0));
					}
				});
				ctx.write(msg, written);
				return;
			}
			this.connections.refused(new BrokerEvent.ConnectionRefused(this.clientId, remoteAddress(ctx),
					RefusalReasons.of(code)));
			ConnectionLedger.closeReason(ctx.channel(), BrokerEvent.DisconnectReason.SERVER);
		}
		ctx.write(msg, promise);
	}

	/**
	 * [MQTT-3.1.2-24] A connection silent for 1.5x its keep-alive is closed. Moquette re-arms its idle timer (in its
	 * listener on the CONNACK write, which has run once it marks the connection connected) in whole seconds, rounded:
	 * a keep-alive of 1 s became 2 s, 3 s became 5 s. Re-armed here in milliseconds, under the engine's pipeline name.
	 */
	private void rearmKeepAlive(ChannelHandlerContext ctx) {
		if (this.keepAlive > 0 && ctx.pipeline().get(IDLE_TIMER) != null) {
			ctx.pipeline().replace(IDLE_TIMER, IDLE_TIMER,
					new IdleStateHandler(this.keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
		}
	}

	/** The CONNACK is going out: from now on the client counts as connected (its drop will be reported). */
	private void register(ChannelHandlerContext ctx) {
		this.registered = true;
		String assignedId = NettyUtils.clientID(ctx.channel());
		if (assignedId != null) {
			this.clientId = assignedId;
		}
		MqttConnectVariableHeader header = this.connect.variableHeader();
		this.connections.connected(ctx.channel(),
				new ConnectedClient(this.clientId, this.username, remoteAddress(ctx), this.transport, header.version(),
						this.keepAlive, this.requestedKeepAlive, header.isCleanSession(), Instant.now()));
		if (this.deniedWillTopic != null) {
			this.accessRules.willDenied(this.deniedWillTopic, this.username, this.clientId);
		}
		this.connect = null;
	}

	/**
	 * Switch to pass-through once the engine has marked the connection connected, which it does in its own
	 * listener on the CONNACK write; that listener may run after ours, so wait for it (on this event loop, briefly).
	 */
	private void onConnackSent(ChannelHandlerContext ctx, int attempt) {
		if (this.state != State.AWAITING_CONNACK) {
			return;
		}
		if (!EngineAccess.isConnected(ctx.channel())) {
			if (attempt < 100) {
				ctx.executor().execute(() -> onConnackSent(ctx, attempt + 1));
			}
			else if (attempt < 1100) {
				ctx.executor().schedule(() -> onConnackSent(ctx, attempt + 1), 10, TimeUnit.MILLISECONDS);
			}
			else {
				reject(ctx, null, "the engine did not complete the connection");
			}
			return;
		}
		this.state = State.CONNECTED;
		rearmKeepAlive(ctx);
		ctx.fireUserEventTriggered(DeliveryConformance.ENGINE_CONNECTED);
		forwardHeld(ctx);
		if (this.state == State.CONNECTED && !this.pausedForPressure) {
			ctx.channel().config().setAutoRead(true);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		discardHeld();
		if (this.registered) {
			this.registered = false;
			this.connections.closed(ctx.channel(), this.clientId);
		}
		this.state = State.CLOSED;
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		discardHeld();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof IOException) {
			logger.debug("MQTT connection {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
		}
		else {
			logger.warn("Closing MQTT connection {} (client '{}') after an error: {}", ctx.channel().remoteAddress(),
					this.clientId, cause.toString());
		}
		ctx.close();
	}

	private Object reject(ChannelHandlerContext ctx, Object msg, String violation) {
		ReferenceCountUtil.release(msg);
		discardHeld();
		if (this.state != State.CLOSED && this.state != State.CLOSING_AFTER_CONNACK) {
			logger.info("Closing MQTT connection from {} (client '{}'): {}", ctx.channel().remoteAddress(),
					this.clientId, violation);
			this.connections.violation(ctx.channel(),
					new BrokerEvent.ProtocolViolation(this.clientId, remoteAddress(ctx), violation));
			if (this.state == State.AWAITING_CONNACK && !this.registered) {
				// The engine is creating the session and about to write its CONNACK; closing now would fail it on a
				// half-made session (a logged SessionCorruptedException). Close right after the CONNACK instead, or
				// after a while if none comes.
				this.state = State.CLOSING_AFTER_CONNACK;
				ctx.executor().schedule(() -> ctx.close(), CLOSE_AFTER_CONNACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
				return null;
			}
			if (this.state != State.CONNECTED) {
				this.state = State.CLOSED;
			}
			ctx.close();
		}
		return null;
	}

	/** Allocated on first use: most connections never hold a packet. */
	private Queue<Object> held() {
		if (this.held == null) {
			this.held = new ArrayDeque<>(4);
		}
		return this.held;
	}

	private void discardHeld() {
		if (this.held == null) {
			return;
		}
		Object next;
		while ((next = this.held.poll()) != null) {
			ReferenceCountUtil.release(next);
		}
	}

	private static InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
		return (ctx.channel().remoteAddress() instanceof InetSocketAddress address) ? address : null;
	}

}
