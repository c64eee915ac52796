package dev.mqttboot.broker.protocol;

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
 * The connections the broker has accepted, by client id, and the single place that reports connects, refusals,
 * violations and disconnects. Each accepted connection produces exactly one {@link BrokerEvent.ClientConnected} and,
 * when it ends, exactly one {@link BrokerEvent.ClientDisconnected} with the reason recorded on its channel: the first
 * reason recorded wins ({@code SERVER} when the broker closes it, {@code CLIENT} after DISCONNECT, {@code KEEPALIVE}
 * when it went silent), and one ending with none recorded was {@code LOST}.
 */
public final class ConnectionLedger {

	/** Why the broker is about to close a channel; the first reason recorded wins. */
	private static final AttributeKey<BrokerEvent.DisconnectReason> CLOSE_REASON = AttributeKey
		.valueOf(ConnectionLedger.class, "closeReason");

	private final ConcurrentMap<String, Entry> byClientId = new ConcurrentHashMap<>();

	private final Consumer<BrokerEvent> events;

	/**
	 * @param events where the events go
	 */
	public ConnectionLedger(Consumer<BrokerEvent> events) {
		this.events = events;
	}

	/**
	 * Record why a channel is about to end, unless a reason is recorded already.
	 * @param channel the client's channel
	 * @param reason why it ends
	 */
	public static void closeReason(Channel channel, BrokerEvent.DisconnectReason reason) {
		channel.attr(CLOSE_REASON).setIfAbsent(reason);
	}

	/**
	 * A connection was accepted: reported, and listed until it ends.
	 * @param channel its channel
	 * @param client the client
	 */
	public void connected(Channel channel, ConnectedClient client) {
		Entry previous = this.byClientId.put(client.clientId(), new Entry(channel, client));
		if (previous != null && previous.channel() != channel) {
			// Session take-over: the engine closes the older connection.
			closeReason(previous.channel(), BrokerEvent.DisconnectReason.SERVER);
		}
		this.events.accept(new BrokerEvent.ClientConnected(client));
	}

	/**
	 * An accepted connection ended: reported once, with the reason recorded on its channel.
	 * @param channel its channel
	 * @param clientId its client id
	 */
	public void closed(Channel channel, String clientId) {
		this.byClientId.computeIfPresent(clientId, (id, entry) -> (entry.channel() == channel) ? null : entry);
		BrokerEvent.DisconnectReason reason = channel.attr(CLOSE_REASON).get();
		this.events.accept(new BrokerEvent.ClientDisconnected(clientId,
				(reason != null) ? reason : BrokerEvent.DisconnectReason.LOST));
	}

	/** @param refusal a CONNECT the broker refused */
	public void refused(BrokerEvent.ConnectionRefused refusal) {
		this.events.accept(refusal);
	}

	/**
	 * A client broke the protocol: reported, and its channel is to be closed by the broker.
	 * @param channel its channel
	 * @param violation what it did
	 */
	public void violation(Channel channel, BrokerEvent.ProtocolViolation violation) {
		closeReason(channel, BrokerEvent.DisconnectReason.SERVER);
		this.events.accept(violation);
	}

	/** @return the clients connected now */
	public List<ConnectedClient> list() {
		List<ConnectedClient> clients = new ArrayList<>();
		this.byClientId.values().forEach((entry) -> clients.add(entry.client()));
		return clients;
	}

	/**
	 * Record that the broker is ending a client's connections (a take-over, a disconnect by the operator).
	 * @param clientId the client
	 */
	public void endingByServer(String clientId) {
		Entry entry = this.byClientId.get(clientId);
		if (entry != null) {
			closeReason(entry.channel(), BrokerEvent.DisconnectReason.SERVER);
		}
	}

	/**
	 * Close a client's connection, as the broker.
	 * @param clientId the client
	 * @return whether it was connected
	 */
	public boolean disconnect(String clientId) {
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
