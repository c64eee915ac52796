package dev.mqttboot.client;

import dev.mqttboot.core.MqttProtocolVersion;
import dev.mqttboot.core.TlsCertificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One named, shared client connection to a broker, used by the template and the listeners alike. It connects on
 * start, reconnects with exponential backoff and jitter (also when the very first connect fails), and restores every
 * subscription after each reconnect, whatever the session flags say.
 */
public interface MqttConnection {

	/**
	 * The configured name ({@code default} for {@code mqtt.client.*}).
	 * @return the connection name
	 */
	String name();

	/**
	 * The broker URL in use.
	 * @return the URL, or {@code null} before the connection first started
	 */
	@Nullable String url();

	/**
	 * Whether this connection goes to the application's embedded broker (no URL configured).
	 * @return {@code true} for the embedded broker
	 */
	boolean targetsEmbeddedBroker();

	/**
	 * The MQTT client identifier.
	 * @return the client id
	 */
	String clientId();

	/**
	 * The protocol version.
	 * @return the version
	 */
	MqttProtocolVersion protocolVersion();

	/**
	 * The keep-alive interval asked of the broker, in seconds.
	 * @return the keep-alive
	 */
	int keepAliveSeconds();

	/**
	 * How long one connect attempt may take; also how long a listener's start waits for its subscriptions.
	 * @return the connection timeout
	 */
	Duration connectionTimeout();

	/**
	 * The QoS used when a publish does not name one.
	 * @return 0, 1 or 2
	 */
	int defaultQos();

	/**
	 * The largest payload this connection will publish, in bytes.
	 * @return the limit
	 */
	int maxPayloadSize();

	/**
	 * Whether the connection is up now.
	 * @return {@code true} when connected
	 */
	boolean isConnected();

	/**
	 * Publishes sent and not yet acknowledged by the broker.
	 * @return the count
	 */
	int inflight();

	/**
	 * The subscriptions and what the broker answered to each.
	 * @return the subscriptions, by filter
	 */
	java.util.List<SubscriptionStatus> subscriptions();

	/**
	 * The certificate this connection presents to the broker (mutual TLS), from its SSL bundle as it is now.
	 * @return the certificate, or empty when the connection has no key of its own
	 */
	default Optional<TlsCertificate> presentedCertificate() {
		return Optional.empty();
	}

	/**
	 * Register an observer of this connection's traffic.
	 * @param observer the observer
	 */
	void addObserver(ConnectionObserver observer);

	/**
	 * Why and when the connection last went down, if it ever did.
	 * @return the last disconnect
	 */
	Optional<Disconnect> lastDisconnect();

	/**
	 * Publish a payload. While disconnected, the message waits in the bounded offline buffer (or fails at once when
	 * the buffer is off or full).
	 * @param topic the topic name
	 * @param payload the payload bytes
	 * @param options QoS, retained and MQTT 5 properties (already validated)
	 * @return a future completed when the broker acknowledges (QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP), or
	 * failed with {@link MqttPublishException}
	 */
	CompletableFuture<Void> publish(String topic, byte[] payload, PublishOptions options);

	/**
	 * Subscribe to a topic filter; restored after every reconnect until cancelled. Each message is acknowledged to
	 * the broker when the handler returns.
	 * @param topicFilter the filter
	 * @param qos the QoS requested
	 * @param handler called for each message, on the client's callback thread
	 * @return the subscription
	 */
	default MqttSubscription subscribe(String topicFilter, int qos, Consumer<ReceivedMessage> handler) {
		return subscribe(topicFilter, qos, (MessageHandler) (message, acknowledgement) -> {
			try {
				handler.accept(message);
			}
			finally {
				acknowledgement.run();
			}
		});
	}

	/**
	 * Subscribe to a topic filter with a handler that acknowledges each message itself, possibly later and from
	 * another thread.
	 * @param topicFilter the filter
	 * @param qos the QoS requested
	 * @param handler called for each message, on the client's callback thread
	 * @return the subscription
	 */
	MqttSubscription subscribe(String topicFilter, int qos, MessageHandler handler);

	/**
	 * A subscription and the broker's answer.
	 * @param topicFilter the filter
	 * @param requestedQos the QoS asked for
	 * @param grantedQos the QoS granted, {@code null} while no answer has come on the current connection, or a
	 * reason code of 0x80 and above when refused
	 */
	record SubscriptionStatus(String topicFilter, int requestedQos, @Nullable Integer grantedQos) {

		/**
		 * Whether the broker granted it on the current connection.
		 * @return {@code true} when granted
		 */
		public boolean granted() {
			return this.grantedQos != null && this.grantedQos >= 0 && this.grantedQos <= 2;
		}

	}

	/**
	 * Why a connection went down.
	 * @param cause the failure, or {@code null} for a clean stop
	 * @param at when
	 */
	record Disconnect(@Nullable Throwable cause, Instant at) {
	}

}
