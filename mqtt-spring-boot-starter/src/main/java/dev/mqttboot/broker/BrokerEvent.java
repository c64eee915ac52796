package dev.mqttboot.broker;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * What happens inside the embedded broker. One source of truth for broker state: metrics, health and the actuator
 * endpoint all read these events.
 */
public sealed interface BrokerEvent {

	/**
	 * A client's CONNECT was accepted and its CONNACK sent.
	 * @param client the connected client
	 */
	record ClientConnected(ConnectedClient client) implements BrokerEvent {
	}

	/**
	 * A CONNECT was refused with a CONNACK return code.
	 * @param clientId the client identifier from CONNECT (may be empty)
	 * @param remoteAddress the client's address
	 * @param reason why the broker refused it
	 */
	record ConnectionRefused(@Nullable String clientId, @Nullable InetSocketAddress remoteAddress, RefusalReason reason)
			implements BrokerEvent {
	}

	/**
	 * A connection that had been accepted is gone. Every drop is reported exactly once.
	 * @param clientId the client identifier
	 * @param reason why it ended
	 */
	record ClientDisconnected(String clientId, DisconnectReason reason) implements BrokerEvent {
	}

	/**
	 * A client published a message (not fired for wills or for messages published by the application itself).
	 * @param clientId the publisher
	 * @param topic the topic name
	 * @param qos the QoS level, 0 to 2
	 * @param retained whether the RETAIN flag was set
	 * @param payloadSize the payload size in bytes
	 */
	record MessagePublished(@Nullable String clientId, String topic, int qos, boolean retained, int payloadSize)
			implements BrokerEvent {
	}

	/**
	 * A client subscribed to a topic filter.
	 * @param clientId the subscriber
	 * @param topicFilter the filter
	 * @param qos the QoS granted
	 */
	record Subscribed(String clientId, String topicFilter, int qos) implements BrokerEvent {
	}

	/**
	 * A client unsubscribed from a topic filter.
	 * @param clientId the subscriber
	 * @param topicFilter the filter
	 */
	record Unsubscribed(String clientId, String topicFilter) implements BrokerEvent {
	}

	/**
	 * The access rules denied a publish or a subscribe.
	 * @param clientId the client identifier
	 * @param username the user name, or {@code null}
	 * @param action what was denied
	 * @param topic the topic name or filter
	 */
	record AuthorizationDenied(@Nullable String clientId, @Nullable String username, Action action, String topic)
			implements BrokerEvent {
	}

	/**
	 * A connection was closed because it broke the protocol or a broker limit (malformed or invalid packet).
	 * @param clientId the client identifier, or {@code null} before CONNECT
	 * @param remoteAddress the client's address
	 * @param violation what the client did
	 */
	record ProtocolViolation(@Nullable String clientId, @Nullable InetSocketAddress remoteAddress, String violation)
			implements BrokerEvent {
	}

	/**
	 * The broker engine failed while processing a client's command. With Moquette 0.17 the session-loop thread
	 * that ran it ends: every client whose id hashes to that loop is no longer served until restart.
	 * @param error what was thrown
	 */
	record EngineFailure(Throwable error) implements BrokerEvent {
	}

	/** Why a connection ended. */
	enum DisconnectReason {

		/** The client sent DISCONNECT. */
		CLIENT,

		/** Closed by the broker because the client was silent for 1.5x its keep-alive (or the ceiling). */
		KEEPALIVE,

		/** The broker closed it (administrative disconnect, protocol violation, shutdown). */
		SERVER,

		/** Any other drop: network failure, client closed the socket without DISCONNECT. */
		LOST

	}

	/** Why a CONNECT was refused. */
	enum RefusalReason {

		/** Bad user name or password, or anonymous access while it is off. */
		BAD_CREDENTIALS,

		/** The protocol version is not supported (the embedded broker speaks MQTT 3.1 and 3.1.1). */
		UNSUPPORTED_PROTOCOL,

		/** The client identifier was rejected. */
		IDENTIFIER_REJECTED,

		/** The broker could not create the session. */
		SERVER_UNAVAILABLE,

		/** Any other refusal. */
		OTHER

	}

	/** What an access rule governs. */
	enum Action {

		/** Publishing to a topic. */
		PUBLISH,

		/** Subscribing to a topic filter. */
		SUBSCRIBE

	}

}
