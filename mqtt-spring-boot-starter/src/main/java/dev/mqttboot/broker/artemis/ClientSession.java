package dev.mqttboot.broker.artemis;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.Transport;
import dev.mqttboot.broker.protocol.AnsweredExchanges;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.jspecify.annotations.Nullable;

/**
 * What the starter knows of one Artemis MQTT connection, from its CONNECT to its end: who it is, what it asked for,
 * and why it ended.
 */
final class ClientSession {

	final @Nullable InetSocketAddress remoteAddress;

	final Transport transport;

	volatile @Nullable String username;

	/** The will topic of the CONNECT, or {@code null} without a will. */
	volatile @Nullable String willTopic;

	volatile int protocolLevel;

	volatile int requestedKeepAlive;

	volatile boolean cleanSession;

	/** Set once the broker accepted the connection. */
	volatile @Nullable ConnectedClient client;

	/** SUBSCRIBE filters by packet id, until their SUBACK goes out. */
	final Map<Integer, List<String>> pendingSubscribes = new ConcurrentHashMap<>();

	/** PUBRELs the starter resent on reconnect: packet id to the engine's message holding it, until PUBCOMP. */
	final Map<Integer, Long> resentReleases = new ConcurrentHashMap<>();

	/** MQTT 5 topic aliases the client set, for the events of its later PUBLISHes with an empty topic name. */
	private final Map<Integer, String> clientAliases = new ConcurrentHashMap<>();

	/**
	 * MQTT 5 topic aliases the engine set towards the client: a later delivery under one has an empty topic name,
	 * and the access rules must still see its topic.
	 */
	private final Map<Integer, String> serverAliases = new ConcurrentHashMap<>();

	/** Deliveries a deny rule withheld, acknowledged to the engine for the client. */
	final AnsweredExchanges withheld = new AnsweredExchanges();

	private final Channel channel;

	ClientSession(@Nullable InetSocketAddress remoteAddress, Transport transport, Channel channel) {
		this.remoteAddress = remoteAddress;
		this.transport = transport;
		this.channel = channel;
	}

	/**
	 * The topic a PUBLISH from the client goes to: its topic name, or for an empty one (MQTT 5) the topic its Topic
	 * Alias stands for. A PUBLISH with both sets the alias.
	 * @return the topic, or the empty name when the alias is unknown (the engine then refuses the packet)
	 */
	String inboundTopic(MqttPublishMessage publish) {
		return resolve(publish, this.clientAliases);
	}

	/** @return the topic of a PUBLISH the engine sends the client, its topic alias resolved */
	String outboundTopic(MqttPublishMessage publish) {
		return resolve(publish, this.serverAliases);
	}

	private static String resolve(MqttPublishMessage publish, Map<Integer, String> aliases) {
		String topic = publish.variableHeader().topicName();
		MqttProperties.MqttProperty<?> alias = publish.variableHeader()
			.properties()
			.getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
		if (!(alias != null && alias.value() instanceof Integer id)) {
			return topic;
		}
		if (topic.isEmpty()) {
			return aliases.getOrDefault(id, topic);
		}
		aliases.put(id, topic);
		return topic;
	}

	/** @return the client's channel */
	Channel channel() {
		return this.channel;
	}

	/** Record why the connection is about to end, unless a reason is recorded already. */
	void ending(BrokerEvent.DisconnectReason reason) {
		ConnectionLedger.closeReason(this.channel, reason);
	}

	/** Write a packet to the client ourselves, past the engine. */
	void write(MqttMessage message) {
		this.channel.writeAndFlush(message);
	}

	/** Write packets to the client ourselves, past the engine, in this order. */
	void write(List<MqttMessage> messages) {
		this.channel.eventLoop().execute(() -> {
			messages.forEach(this.channel::write);
			this.channel.flush();
		});
	}

	/** Hand the engine a packet as if the client had sent it (an acknowledgement for a withheld message). */
	void answerForClient(MqttMessage message) {
		this.channel.eventLoop().execute(() -> this.channel.pipeline().fireChannelRead(message));
	}

	ConnectedClient accept(String clientId, int keepAlive) {
		ConnectedClient accepted = new ConnectedClient(clientId, this.username, this.remoteAddress, this.transport,
				this.protocolLevel, keepAlive, this.requestedKeepAlive, this.cleanSession, Instant.now());
		this.client = accepted;
		return accepted;
	}

	@Nullable String clientId() {
		ConnectedClient connected = this.client;
		return (connected != null) ? connected.clientId() : null;
	}

}
