package dev.mqttboot.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * A minimal MQTT 3.1.1 client on Netty for load generation: no persistence, no retries, every packet handed to the
 * scenario's callback on the client's event loop.
 */
final class BenchClient {

	private final Channel channel;

	private final CompletableFuture<Void> connected;

	private volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();

	private BenchClient(Channel channel, CompletableFuture<Void> connected) {
		this.channel = channel;
		this.connected = connected;
	}

	static BenchClient connect(EventLoopGroup group, int port, String clientId, int keepAlive,
			Consumer<MqttMessage> onPacket) throws Exception {
		BenchClient client = open(group, port, clientId, keepAlive, true, onPacket);
		client.connected().get(30, TimeUnit.SECONDS);
		return client;
	}

	/**
	 * Open a connection and send its CONNECT without waiting for anything: many can be opened at once.
	 * @return the client; {@link #connected()} completes with its CONNACK
	 */
	static BenchClient open(EventLoopGroup group, int port, String clientId, int keepAlive, boolean cleanSession,
			Consumer<MqttMessage> onPacket) {
		CompletableFuture<Void> connected = new CompletableFuture<>();
		BenchClient[] holder = new BenchClient[1];
		ChannelFuture opening = new Bootstrap().group(group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(new MqttDecoder(1024 * 1024), MqttEncoder.INSTANCE,
							new SimpleChannelInboundHandler<MqttMessage>(false) {
								@Override
								protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
									MqttMessageType type = msg.fixedHeader().messageType();
									if (type == MqttMessageType.CONNACK) {
										MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader()
											.connectReturnCode();
										if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
											connected.complete(null);
										}
										else {
											connected.completeExceptionally(new IllegalStateException(code.name()));
										}
									}
									else if (type == MqttMessageType.SUBACK) {
										holder[0].subscribed.complete(null);
									}
									else {
										onPacket.accept(msg);
									}
									io.netty.util.ReferenceCountUtil.release(msg);
								}

								@Override
								public void channelReadComplete(ChannelHandlerContext ctx) {
									// Acknowledgements and paced publishes written while reading go out together.
									ctx.flush();
								}

								@Override
								public void channelInactive(ChannelHandlerContext ctx) {
									connected.completeExceptionally(new IllegalStateException("connection closed"));
								}

								@Override
								public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
									connected.completeExceptionally(cause);
									ctx.close();
								}
							});
				}
			})
			.connect("127.0.0.1", port);
		BenchClient client = new BenchClient(opening.channel(), connected);
		holder[0] = client;
		opening.addListener((ChannelFuture done) -> {
			if (!done.isSuccess()) {
				connected.completeExceptionally(done.cause());
				return;
			}
			done.channel().writeAndFlush(MqttMessageBuilders.connect()
				.clientId(clientId)
				.protocolVersion(MqttVersion.MQTT_3_1_1)
				.cleanSession(cleanSession)
				.keepAlive(keepAlive)
				.build());
		});
		return client;
	}

	/** @return completes when the broker accepted the CONNECT, exceptionally when it refused or closed */
	CompletableFuture<Void> connected() {
		return this.connected;
	}

	void subscribe(String filter, int qos) throws Exception {
		this.subscribed = new CompletableFuture<>();
		this.channel.writeAndFlush(MqttMessageBuilders.subscribe()
			.messageId(1)
			.addSubscription(MqttQoS.valueOf(qos), filter)
			.build());
		this.subscribed.get(5, TimeUnit.SECONDS);
	}

	/** Write a PUBLISH (not flushed). */
	void publish(String topic, ByteBuf payload, int qos, int packetId) {
		this.channel.write(new MqttPublishMessage(
				new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), false, 0),
				new MqttPublishVariableHeader(topic, (qos > 0) ? packetId : -1), payload));
	}

	/** Write an acknowledgement packet (PUBACK, PUBREC, PUBREL, PUBCOMP), not flushed. */
	void ack(MqttMessageType type, int packetId) {
		this.channel.write(new MqttMessage(new MqttFixedHeader(type, false,
				(type == MqttMessageType.PUBREL) ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 2),
				MqttMessageIdVariableHeader.from(packetId)));
	}

	void flush() {
		this.channel.flush();
	}

	boolean isWritable() {
		return this.channel.isWritable();
	}

	Channel channel() {
		return this.channel;
	}

	void close() {
		this.channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
				MqttQoS.AT_MOST_ONCE, false, 0)));
		this.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

	static int packetId(MqttMessage message) {
		return (message instanceof MqttPublishMessage publish) ? publish.variableHeader().packetId()
				: ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
	}

}
