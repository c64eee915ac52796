package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.mqttboot.core.KeyMaterial;
import dev.mqttboot.core.TlsCertificate;

import org.springframework.boot.ssl.SslBundle;

import org.jspecify.annotations.Nullable;

/**
 * An MQTT broker running inside the application. The engine behind it ({@code mqtt.broker.engine}) stays hidden
 * behind this interface: metrics, health, the actuator endpoint and the listeners see only this and
 * {@link BrokerEvent}s.
 */
public interface MqttBroker {

	/**
	 * Start the broker and bind its listeners. Returns once every configured port accepts connections.
	 * @throws BrokerStartException if a listener cannot be bound or the engine refuses to start
	 */
	void start();

	/**
	 * Stop accepting connections, close the connected clients and persist state. Safe to call twice.
	 */
	void stop();

	/**
	 * Whether the broker is started and its listeners are bound.
	 * @return {@code true} while running
	 */
	boolean isRunning();

	/**
	 * The ports the broker listens on, as bound (a configured port 0 shows here as the port chosen by the OS).
	 * @return the bound ports
	 */
	BrokerPorts ports();

	/**
	 * The keep-alive ceiling in effect ({@code mqtt.broker.max-keep-alive}).
	 * @return the ceiling, or {@code null} when there is none
	 */
	default @Nullable Duration keepAliveCeiling() {
		return null;
	}

	/**
	 * Whether the engine serves shared subscriptions ({@code $share/<group>/<filter>}).
	 * @return {@code true} when it does
	 */
	default boolean supportsSharedSubscriptions() {
		return false;
	}

	/**
	 * The clients connected now.
	 * @return a snapshot of the connected clients
	 */
	List<ConnectedClient> connectedClients();

	/**
	 * The subscriptions the broker holds now: those of connected clients and of persistent sessions.
	 * @return a snapshot of the subscriptions (empty while not running, and for a broker that does not tell)
	 */
	default List<BrokerSubscription> subscriptions() {
		return List.of();
	}

	/**
	 * How many subscriptions the broker holds now.
	 * @return the count
	 */
	default int subscriptionCount() {
		return subscriptions().size();
	}

	/**
	 * Messages delivered and dropped, and bytes on the wire, since the broker started.
	 * @return the counters (all zero for a broker that does not count)
	 */
	default BrokerTraffic traffic() {
		return new BrokerTraffic();
	}

	/**
	 * Whether this broker is configured as a cluster node ({@code mqtt.broker.artemis.cluster.enabled}), running or not.
	 * @return {@code true} for a cluster node
	 */
	default boolean isClusterNode() {
		return false;
	}

	/**
	 * The cluster this broker is a node of.
	 * @return what this node sees of its cluster, or empty when it runs alone
	 */
	default Optional<BrokerCluster> cluster() {
		return Optional.empty();
	}

	/**
	 * Close a client's connection from the broker side. Its session state is kept (a persistent session
	 * receives what was queued on its next connect).
	 * @param clientId the MQTT client identifier
	 * @return {@code true} if such a client was connected
	 */
	boolean disconnect(String clientId);

	/**
	 * The first failure of the broker engine since start, if any. With Moquette 0.17 such a failure ends one of its
	 * session loops: the clients hashed to that loop are no longer served, so the broker should be restarted.
	 * @return the failure, or empty while the engine is healthy
	 */
	Optional<Throwable> engineFailure();

	/**
	 * Whether a TLS listener (MQTT over TLS or secure WebSocket) is configured.
	 * @return {@code true} with TLS
	 */
	default boolean servesTls() {
		return false;
	}

	/**
	 * The certificate the TLS listeners (MQTT over TLS and secure WebSocket) serve now.
	 * @return the certificate, or empty when no TLS listener is enabled
	 */
	default Optional<TlsCertificate> servedCertificate() {
		return Optional.empty();
	}

	/**
	 * Serve new key material on the TLS listeners: connections opened from now on get its certificate (and, with
	 * client authentication, its trust store); those already open keep theirs. The starter calls it when the bundle
	 * named by {@code mqtt.broker.ssl.bundle} is reloaded ({@code spring.ssl.bundle.*.reload-on-update}).
	 * @param bundle the new key material, checked first with {@link KeyMaterial#check}
	 * @throws IllegalArgumentException when it cannot be served (the listeners keep serving what they served)
	 * @throws IllegalStateException when no TLS listener is enabled, or the engine cannot take the material (likewise)
	 */
	default void updateKeyMaterial(SslBundle bundle) {
		throw new IllegalStateException("This broker cannot change its key material while running");
	}

	/**
	 * Session counts of a client that is connected or has a persistent session.
	 * @param clientId the MQTT client identifier
	 * @return what its session holds, or empty when the broker has no session for it (or cannot tell)
	 */
	default Optional<SessionBacklog> backlog(String clientId) {
		return Optional.empty();
	}

	/**
	 * The access rules in effect ({@code mqtt.broker.security.acl}), to check an action of the application on the
	 * broker as if a client of a given user took it.
	 * @return the rules (none: everything is allowed)
	 */
	default AccessPolicy accessPolicy() {
		return new AccessPolicy(List.of(), (event) -> {
		});
	}

	/**
	 * The retained messages whose topics match a filter, as a new subscription to it would get them (a filter that
	 * starts with a wildcard matches no {@code $} topic), sorted by topic. A message is listed once it is stored: on
	 * Artemis a durable one reaches its queue when its journal write completes, a few milliseconds after the publish.
	 * On a cluster node: this node's copy, which the cluster keeps the same on every node.
	 * @param filter a topic filter
	 * @return the messages, each with {@code retained} set
	 * @throws IllegalArgumentException for an invalid filter
	 * @throws IllegalStateException when the broker is not running
	 */
	default List<BrokerMessage> retainedMessages(String filter) {
		throw new UnsupportedOperationException("This broker cannot list its retained messages");
	}

	/**
	 * Publish a message from the broker itself, as a client's PUBLISH would be routed: to every matching
	 * subscription (on every node of a cluster), stored as the topic's retained message when {@code retained} is set
	 * (an empty payload clears it). No access rule is applied: check {@link #accessPolicy()} first for a user.
	 * @param message the message
	 * @throws IllegalStateException when the broker is not running (or is a passive HA backup)
	 */
	default void publish(BrokerMessage message) {
		throw new UnsupportedOperationException("This broker cannot publish messages of its own");
	}

	/**
	 * Watch the messages published to topics that match a filter from now on: those clients publish (once they
	 * passed the access rules) and those of {@link #publish}; on Artemis also wills. Moquette hands a client's
	 * PUBLISH to the watches from its interceptor threads, so messages of different publishers may come in another
	 * order than the broker routed them. The watcher runs on a broker thread and must
	 * return at once (hand the message to a bounded buffer). On a cluster node it also sees the messages that other
	 * nodes forward to this one for its subscriptions.
	 * @param filter a topic filter
	 * @param watcher called for each message
	 * @return closes the watch
	 * @throws IllegalArgumentException for an invalid filter
	 */
	default AutoCloseable watch(String filter, Consumer<BrokerMessage> watcher) {
		throw new UnsupportedOperationException("This broker cannot watch its messages");
	}

	/**
	 * Register a listener for broker events. Listeners are called on broker threads and must be quick.
	 * @param listener the listener
	 */
	void addListener(BrokerEventListener listener);

}
