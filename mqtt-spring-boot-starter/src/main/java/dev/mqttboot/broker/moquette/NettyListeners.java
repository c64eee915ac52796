package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.protocol.KeepAliveCeiling;
import dev.mqttboot.broker.protocol.PacketRules;
import dev.mqttboot.broker.TrafficCounter;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.Transport;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.moquette.broker.AutoFlushHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The broker's network listeners (TCP, TLS, WebSocket, secure WebSocket), bound by us rather than by Moquette so that
 * every connection's pipeline carries the {@link ConnectionGuard} and TLS comes from an SSL bundle.
 * <p>
 * Pipeline names {@code idleStateHandler} and {@code handler} are the ones the engine looks up when it re-arms the
 * idle timer after CONNECT.
 */
final class NettyListeners {

	private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt, mqttv3.1, mqttv3.1.1";

	private final BrokerSettings settings;

	private final ChannelHandler engineHandler;

	private final EngineHooks engineHooks;

	private final int bufferFlushMillis;

	/** What new TLS connections get; replaced when the key material is updated. */
	private volatile @Nullable SslContext sslContext;

	private final ConnectionLedger connections;

	private final AccessRules accessRules;

	private final SessionLoopPressure pressure;

	private final BrokerTraffic traffic;

	private final TrafficCounter trafficCounter;

	private final KeepAliveCeiling keepAliveCeiling;

	private final PacketRules rules;

	private final EventLoopGroup bossGroup;

	private final EventLoopGroup workerGroup;

	private final ChannelGroup channels = new DefaultChannelGroup("mqtt-broker", GlobalEventExecutor.INSTANCE);

	private final List<Channel> serverChannels = new ArrayList<>();

	NettyListeners(BrokerSettings settings, ChannelHandler engineHandler, EngineHooks engineHooks,
			int bufferFlushMillis, @Nullable SslContext sslContext, ConnectionLedger connections, AccessRules accessRules,
			SessionLoopPressure pressure, BrokerTraffic traffic) {
		this.settings = settings;
		this.traffic = traffic;
		this.trafficCounter = new TrafficCounter(traffic);
		this.engineHooks = engineHooks;
		this.pressure = pressure;
		this.accessRules = accessRules;
		this.engineHandler = engineHandler;
		this.bufferFlushMillis = bufferFlushMillis;
		this.sslContext = sslContext;
		this.connections = connections;
		this.keepAliveCeiling = KeepAliveCeiling.of(settings.maxKeepAlive());
		this.rules = new PacketRules(settings.limits(), settings.maxMessageSize());
		this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mqtt-broker-accept"),
				NioIoHandler.newFactory());
		this.workerGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("mqtt-broker-io"),
				NioIoHandler.newFactory());
	}

	/**
	 * Bind every configured listener.
	 * @return the bound ports
	 * @throws BrokerStartException if a port cannot be bound
	 */
	BrokerPorts bind() {
		int mqtt = bind(Transport.MQTT, this.settings.port(), "mqtt.broker.port");
		int mqttSsl = bind(Transport.MQTT_SSL, this.settings.sslPort(), "mqtt.broker.ssl.port");
		int websocket = bind(Transport.WEBSOCKET, this.settings.websocketPort(), "mqtt.broker.websocket.port");
		int websocketSsl = bind(Transport.WEBSOCKET_SSL, this.settings.sslWebsocketPort(),
				"mqtt.broker.ssl.websocket-port");
		return new BrokerPorts(mqtt, mqttSsl, websocket, websocketSsl);
	}

	private int bind(Transport transport, int port, String property) {
		if (port == BrokerPorts.DISABLED) {
			return BrokerPorts.DISABLED;
		}
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.bossGroup, this.workerGroup)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.SO_KEEPALIVE, true)
			// The engine drops whatever it writes to a channel that is not writable, acknowledgements included; so the
			// channel stays writable, and DeliveryConformance drops QoS 0 messages past outbound-buffer-size instead.
			// QoS 1/2 ones stay bounded by the engine's in-flight window and wait in the session.
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(Integer.MAX_VALUE - 1, Integer.MAX_VALUE))
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					NettyListeners.this.channels.add(channel);
					configure(channel.pipeline(), transport);
				}
			});
		try {
			Channel channel = bootstrap.bind(this.settings.host(), port).sync().channel();
			this.serverChannels.add(channel);
			this.channels.add(channel);
			return ((InetSocketAddress) channel.localAddress()).getPort();
		}
		catch (Exception ex) {
			if (ex instanceof BindException) {
				throw new BrokerStartException(property,
						"Port " + port + " on " + this.settings.host() + " is already in use",
						"Stop the process using it, or set " + property + " to a free port (0 picks a random one)",
						ex);
			}
			throw new BrokerStartException(property,
					"Cannot listen on " + this.settings.host() + ":" + port + ": " + ex.getMessage(),
					"Check " + property + " and mqtt.broker.host", ex);
		}
	}

	/** Give connections opened from now on this TLS context; open ones keep theirs. @param sslContext the context */
	void sslContext(SslContext sslContext) {
		this.sslContext = sslContext;
	}

	private void configure(ChannelPipeline pipeline, Transport transport) {
		if (transport == Transport.MQTT_SSL || transport == Transport.WEBSOCKET_SSL) {
			SslContext sslContext = this.sslContext;
			if (sslContext == null) {
				throw new IllegalStateException("A TLS listener is bound without an SSL bundle");
			}
			pipeline.addLast("ssl", sslContext.newHandler(pipeline.channel().alloc()));
		}
		// The engine writes and flushes every message on its own, from its session-loop threads: one system call per
		// message. Flushes that arrive together (in one read, or in the event loop's current batch of tasks) become one.
		pipeline.addLast("flushConsolidation",
				new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
		if (transport == Transport.WEBSOCKET || transport == Transport.WEBSOCKET_SSL) {
			pipeline.addLast("httpCodec", new HttpServerCodec());
			pipeline.addLast("httpAggregator", new HttpObjectAggregator(65536));
			pipeline.addLast("webSocket", new WebSocketServerProtocolHandler(this.settings.websocketPath(),
					WEBSOCKET_SUBPROTOCOLS, false, this.settings.maxMessageSize()));
			pipeline.addLast("webSocketToBytes", WebSocketFrames.ToBytes.INSTANCE);
			pipeline.addLast("bytesToWebSocket", WebSocketFrames.FromBytes.INSTANCE);
		}
		pipeline.addFirst(ConnectionGuard.IDLE_TIMER, new IdleStateHandler(connectTimeoutSeconds(), 0, 0));
		pipeline.addFirst("traffic", this.trafficCounter);
		pipeline.addAfter(ConnectionGuard.IDLE_TIMER, "idleEventHandler", IdleConnectionCloser.INSTANCE);
		if (this.bufferFlushMillis > 0) {
			pipeline.addLast("autoflush", new AutoFlushHandler(this.bufferFlushMillis, TimeUnit.MILLISECONDS));
		}
		pipeline.addLast("decoder", new MqttDecoder(this.settings.maxMessageSize()));
		pipeline.addLast("encoder", MqttEncoder.INSTANCE);
		pipeline.addLast("guard", new ConnectionGuard(transport, this.rules, this.settings.connectTimeout(),
				this.keepAliveCeiling, this.connections));
		pipeline.addLast("backpressure", new SessionLoopBackpressure(this.pressure));
		pipeline.addLast("keepAlive", new KeepAliveEnforcement(this.keepAliveCeiling));
		pipeline.addLast("willAccess", new WillAccess(this.accessRules));
		pipeline.addLast("publishCopies", PublishCopies.INSTANCE);
		pipeline.addLast("publishAccess", new PublishAccess(this.accessRules));
		pipeline.addLast("conformance", new DeliveryConformance(this.engineHooks, this.accessRules, this.traffic,
				this.settings.buffers().outboundBufferSize()));
		pipeline.addLast("handler", this.engineHandler);
	}

	private int connectTimeoutSeconds() {
		return (int) Math.max(1, (this.settings.connectTimeout().toMillis() + 999) / 1000);
	}

	/**
	 * Stop accepting, close every client connection, and release the event loops.
	 */
	void close() {
		for (Channel channel : this.serverChannels) {
			channel.close().syncUninterruptibly();
		}
		this.channels.forEach((channel) -> ConnectionLedger.closeReason(channel, BrokerEvent.DisconnectReason.SERVER));
		this.channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
		this.bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
		this.workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
	}

}
