package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.RefusalReasons;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.Transport;
import dev.mqttboot.broker.protocol.ConnectDeadline;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.moquette.broker.EngineAccess;
import io.moquette.broker.NettyUtils;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stands in every connection's pipeline between the MQTT decoder and the engine, one instance per connection, and
 * keeps the connection's sequence: CONNECT, the engine completing it, then everything else.
 * <p>
 * It is why no client can take the broker down: Moquette 0.17 runs client commands on a few shared session loops and
 * any exception there ends a loop for every client hashed to it. So every packet is checked here first against the
 * engine-neutral {@link PacketRules} (which the Artemis engine applies too), and a client that breaks the protocol
 * loses its own connection, nothing else. It also:
 * <ul>
 * <li>holds packets that arrive before the CONNACK is out until the engine has marked the connection connected
 * (Moquette does that in a write listener, and a SUBSCRIBE read earlier was refused). Reading from the socket pauses
 * from CONNECT until then: a client that publishes and hangs up the moment it has its CONNACK (mosquitto_pub does)
 * would otherwise be seen as gone, and its held packets dropped, before the engine could take them; then it tells the
 * handlers behind it ({@link DeliveryConformance#ENGINE_CONNECTED});</li>
 * <li>closes a connection that has not sent a complete CONNECT within the connect timeout ({@link ConnectDeadline});</li>
 * <li>reports connects, refusals, violations and disconnects to the {@link ConnectionLedger}.</li>
 * </ul>
 * The handlers behind it each do one more job: {@link SessionLoopBackpressure}, {@link KeepAliveEnforcement},
 * {@link WillAccess}, {@link PublishCopies}, {@link PublishAccess} and {@link DeliveryConformance}.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionGuard.class);

	/** The pipeline name of the idle timer, which the engine re-arms after CONNECT. */
	static final String IDLE_TIMER = "idleStateHandler";

	/** Packets a client may send after CONNECT and before it receives its CONNACK. */
	static final int MAX_PACKETS_BEFORE_CONNACK = 1024;

	/** How long a connection refused mid-CONNECT waits for the engine's CONNACK before it is closed anyway. */
	static final long CLOSE_AFTER_CONNACK_TIMEOUT_SECONDS = 10;

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

	/** Checked packets read before the engine completed the connection, in arrival order. */
	private final HeldPackets held = new HeldPackets();

	private State state = State.AWAITING_CONNECT;

	private @Nullable MqttConnectMessage connect;

	private int requestedKeepAlive;

	/** The CONNECT's protocol level (4: MQTT 3.1.1), 0 before it. */
	private int protocolLevel;

	private int keepAlive;

	private @Nullable String clientId;

	private @Nullable String username;


	private boolean registered;

	ConnectionGuard(Transport transport, PacketRules rules, Duration connectTimeout, KeepAliveCeiling keepAliveCeiling,
			ConnectionLedger connections) {
		this.transport = transport;
		this.rules = rules;
		this.connectTimeout = connectTimeout;
		this.keepAliveCeiling = keepAliveCeiling;
		this.connections = connections;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		ConnectDeadline.arm(ctx.channel(), this.connectTimeout, () -> this.state != State.AWAITING_CONNECT, () -> {
			logger.debug("Closing MQTT connection {}: no complete CONNECT within {}", ctx.channel().remoteAddress(),
					this.connectTimeout);
			this.state = State.CLOSED;
			this.held.discard();
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
			if (this.held.size() >= MAX_PACKETS_BEFORE_CONNACK) {
				reject(ctx, checked, "more than " + MAX_PACKETS_BEFORE_CONNACK + " packets before CONNACK");
				return;
			}
			this.held.add(checked);
			return;
		}
		ctx.fireChannelRead(checked);
	}

	/** Pass the packets held until the engine completed the connection. */
	private void forwardHeld(ChannelHandlerContext ctx) {
		if (this.held.isEmpty()) {
			return;
		}
		Object next;
		while (this.state == State.CONNECTED && (next = this.held.poll()) != null) {
			ctx.fireChannelRead(next);
		}
		ctx.fireChannelReadComplete();
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
		// Enforced by KeepAliveEnforcement; recorded here for the connected client's description.
		this.keepAlive = this.keepAliveCeiling.inEffect(this.requestedKeepAlive);
		this.connect = message;
		this.state = State.AWAITING_CONNACK;
		// Packets already decoded from this read are still held; nothing more is read (not even the end of the
		// stream) until the engine has completed the connection.
		ctx.channel().config().setAutoRead(false);
		ctx.fireChannelRead(message);
	}

	/**
	 * Validate a packet sent after CONNECT.
	 * @return the packet to pass on, or {@code null} when the connection was closed
	 */
	private @Nullable Object check(ChannelHandlerContext ctx, MqttMessage message) {
		String violation = this.rules.content(message, this.protocolLevel);
		if (violation != null) {
			return reject(ctx, message, violation);
		}
		return switch (message.fixedHeader().messageType()) {
			case DISCONNECT -> {
				ConnectionLedger.closeReason(ctx.channel(), BrokerEvent.DisconnectReason.CLIENT);
				yield message;
			}
			default -> message;
		};
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

	/** The CONNACK is going out: from now on the client counts as connected (its drop will be reported). */
	private void register(ChannelHandlerContext ctx) {
		this.registered = true;
		String assignedId = NettyUtils.clientID(ctx.channel());
		String clientId = (assignedId != null) ? assignedId : Objects.requireNonNull(this.clientId, "client id");
		this.clientId = clientId;
		MqttConnectVariableHeader header = Objects.requireNonNull(this.connect, "CONNECT").variableHeader();
		this.connections.connected(ctx.channel(),
				new ConnectedClient(clientId, this.username, remoteAddress(ctx), this.transport, header.version(),
						this.keepAlive, this.requestedKeepAlive, header.isCleanSession(), Instant.now()));
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
		ctx.fireUserEventTriggered(DeliveryConformance.ENGINE_CONNECTED);
		forwardHeld(ctx);
		if (this.state == State.CONNECTED) {
			ctx.channel().config().setAutoRead(true);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.held.discard();
		String clientId = this.clientId;
		if (this.registered && clientId != null) {
			this.registered = false;
			this.connections.closed(ctx.channel(), clientId);
		}
		this.state = State.CLOSED;
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.held.discard();
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

	private @Nullable Object reject(ChannelHandlerContext ctx, @Nullable Object msg, String violation) {
		ReferenceCountUtil.release(msg);
		this.held.discard();
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

	private static @Nullable InetSocketAddress remoteAddress(ChannelHandlerContext ctx) {
		return (ctx.channel().remoteAddress() instanceof InetSocketAddress address) ? address : null;
	}

}
