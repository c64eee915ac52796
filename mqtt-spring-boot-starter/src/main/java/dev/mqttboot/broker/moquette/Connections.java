package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.ConnectedClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The connections the broker has accepted, by client id, and the single place that reports connects and
 * disconnects. Each accepted connection produces exactly one {@link BrokerEvent.ClientConnected} and, when it ends,
 * exactly one {@link BrokerEvent.ClientDisconnected} with the reason recorded on its channel.
 */
final class Connections {

	/** Why the broker is about to close a channel; the first reason recorded wins. */
	static final AttributeKey<BrokerEvent.DisconnectReason> CLOSE_REASON = AttributeKey
		.valueOf(Connections.class, "closeReason");

	private final ConcurrentMap<String, Entry> byClientId = new ConcurrentHashMap<>();

	private final Consumer<BrokerEvent> events;

	Connections(Consumer<BrokerEvent> events) {
		this.events = events;
	}

	static void closeReason(Channel channel, BrokerEvent.DisconnectReason reason) {
		channel.attr(CLOSE_REASON).setIfAbsent(reason);
	}

	void connected(Channel channel, ConnectedClient client) {
		Entry previous = this.byClientId.put(client.clientId(), new Entry(channel, client));
		if (previous != null && previous.channel() != channel) {
			// Session take-over: the engine closes the older connection.
			closeReason(previous.channel(), BrokerEvent.DisconnectReason.SERVER);
		}
		this.events.accept(new BrokerEvent.ClientConnected(client));
	}

	void closed(Channel channel, String clientId) {
		this.byClientId.computeIfPresent(clientId, (id, entry) -> (entry.channel() == channel) ? null : entry);
		BrokerEvent.DisconnectReason reason = channel.attr(CLOSE_REASON).get();
		this.events.accept(new BrokerEvent.ClientDisconnected(clientId,
				(reason != null) ? reason : BrokerEvent.DisconnectReason.LOST));
	}

	void refused(BrokerEvent.ConnectionRefused refusal) {
		this.events.accept(refusal);
	}

	void violation(BrokerEvent.ProtocolViolation violation) {
		this.events.accept(violation);
	}

	List<ConnectedClient> list() {
		List<ConnectedClient> clients = new ArrayList<>();
		this.byClientId.values().forEach((entry) -> clients.add(entry.client()));
		return clients;
	}

	boolean disconnect(String clientId) {
		Entry entry = this.byClientId.get(clientId);
		if (entry == null) {
			return false;
		}
		closeReason(entry.channel(), BrokerEvent.DisconnectReason.SERVER);
		entry.channel().close();
		return true;
	}

	private record Entry(Channel channel, ConnectedClient client) {
	}

}
