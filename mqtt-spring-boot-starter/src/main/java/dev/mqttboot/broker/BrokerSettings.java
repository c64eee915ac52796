package dev.mqttboot.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mqttboot.core.TopicLimits;

import org.springframework.boot.ssl.SslBundle;

import org.jspecify.annotations.Nullable;

/**
 * Everything the embedded broker needs to start, already validated. Built from {@code mqtt.broker.*} properties by
 * the auto-configuration, or by hand for tests and custom set-ups.
 *
 * @param host the address to bind
 * @param port plain MQTT port ({@code 0} = random, {@link BrokerPorts#DISABLED} = off)
 * @param websocketPort MQTT over WebSocket port, or {@link BrokerPorts#DISABLED}
 * @param websocketPath the HTTP path of the WebSocket endpoint
 * @param sslPort MQTT over TLS port, or {@link BrokerPorts#DISABLED}
 * @param sslWebsocketPort MQTT over secure WebSocket port, or {@link BrokerPorts#DISABLED}
 * @param sslBundle the key material for the TLS listeners, or {@code null} when none is enabled
 * @param clientAuth whether TLS clients must present a certificate
 * @param maxMessageSize the largest MQTT packet accepted, in bytes
 * @param connectTimeout how long a new connection may take to send a complete CONNECT, however its bytes arrive
 * @param redeliveryInterval how often unacknowledged QoS 1/2 messages are resent on a live connection
 * ({@link Duration#ZERO}: only when a persistent session reconnects)
 * @param maxKeepAlive the keep-alive ceiling, or {@code null} for none
 * @param persistence where and how state is persisted
 * @param security who may connect and what they may do
 * @param limits protocol limits enforced before packets reach the engine
 * @param buffers how much the broker queues inside the engine and towards slow clients
 * @param queueLimits what bounds the messages waiting for subscribers
 * @param cluster whether and how this broker forms a cluster with others
 */
public record BrokerSettings(String host, int port, int websocketPort, String websocketPath, int sslPort,
		int sslWebsocketPort, @Nullable SslBundle sslBundle, ClientAuth clientAuth, int maxMessageSize, Duration connectTimeout,
		Duration redeliveryInterval, @Nullable Duration maxKeepAlive, Persistence persistence, Security security, TopicLimits limits, Buffers buffers,
		QueueLimits queueLimits, Cluster cluster) {

	/**
	 * Settings of a broker that runs alone.
	 * @param host the address to bind
	 * @param port plain MQTT port
	 * @param websocketPort MQTT over WebSocket port, or {@link BrokerPorts#DISABLED}
	 * @param websocketPath the HTTP path of the WebSocket endpoint
	 * @param sslPort MQTT over TLS port, or {@link BrokerPorts#DISABLED}
	 * @param sslWebsocketPort MQTT over secure WebSocket port, or {@link BrokerPorts#DISABLED}
	 * @param sslBundle the key material for the TLS listeners, or {@code null}
	 * @param clientAuth whether TLS clients must present a certificate
	 * @param maxMessageSize the largest MQTT packet accepted, in bytes
	 * @param connectTimeout how long a new connection may take to send a complete CONNECT
	 * @param redeliveryInterval how often unacknowledged QoS 1/2 messages are resent on a live connection
	 * @param maxKeepAlive the keep-alive ceiling, or {@code null} for none
	 * @param persistence where and how state is persisted
	 * @param security who may connect and what they may do
	 * @param limits protocol limits enforced before packets reach the engine
	 * @param buffers how much the broker queues inside the engine and towards slow clients
	 * @param queueLimits what bounds the messages waiting for subscribers
	 */
	public BrokerSettings(String host, int port, int websocketPort, String websocketPath, int sslPort,
			int sslWebsocketPort, @Nullable SslBundle sslBundle, ClientAuth clientAuth, int maxMessageSize,
			Duration connectTimeout, Duration redeliveryInterval, @Nullable Duration maxKeepAlive, Persistence persistence,
			Security security, TopicLimits limits, Buffers buffers, QueueLimits queueLimits) {
		this(host, port, websocketPort, websocketPath, sslPort, sslWebsocketPort, sslBundle, clientAuth, maxMessageSize,
				connectTimeout, redeliveryInterval, maxKeepAlive, persistence, security, limits, buffers, queueLimits,
				Cluster.NONE);
	}

	/**
	 * How this broker forms a cluster with other nodes (Artemis): each node serves its own clients, and a message is
	 * forwarded to the nodes whose clients subscribed to it.
	 * @param enabled whether this broker is a cluster node
	 * @param nodeName this node's name, unique in the cluster
	 * @param host the address the cluster listener binds
	 * @param port the cluster listener's port ({@code 0}: a free one)
	 * @param advertisedHost the address other nodes reach this one at
	 * @param members other nodes' cluster addresses as {@code host:port} (static discovery)
	 * @param dnsName a DNS name whose addresses are the nodes, each on {@code port} (DNS discovery), or {@code null}
	 * @param user the user nodes authenticate to each other with
	 * @param password that user's password
	 * @param ha this node's part in high availability
	 * @param haGroup the name pairing a primary with its backup
	 */
	public record Cluster(boolean enabled, @Nullable String nodeName, @Nullable String host, int port,
			@Nullable String advertisedHost, List<String> members, @Nullable String dnsName, @Nullable String user,
			@Nullable String password, HaRole ha, @Nullable String haGroup) {

		/** Not a cluster node. */
		public static final Cluster NONE = new Cluster(false, null, null, 0, null, List.of(), null, null, null,
				HaRole.NONE, null);

		/**
		 * A cluster node's settings.
		 */
		public Cluster {
			members = List.copyOf(members);
		}

		/**
		 * This node's name, for an enabled cluster (the settings factory always sets one).
		 * @return the name
		 * @throws IllegalStateException when none is set
		 */
		public String requireNodeName() {
			return required(this.nodeName, "node name");
		}

		/**
		 * The address the cluster listener binds, for an enabled cluster.
		 * @return the host
		 * @throws IllegalStateException when none is set
		 */
		public String requireHost() {
			return required(this.host, "host");
		}

		/**
		 * The address the other nodes reach this one at, for an enabled cluster.
		 * @return the host
		 * @throws IllegalStateException when none is set
		 */
		public String requireAdvertisedHost() {
			return required(this.advertisedHost, "advertised host");
		}

		private String required(@Nullable String value, String what) {
			if (!this.enabled || value == null) {
				throw new IllegalStateException("The cluster settings have no " + what);
			}
			return value;
		}

		@Override
		public String toString() {
			// Never the password.
			return "Cluster[enabled=" + this.enabled + ", nodeName=" + this.nodeName + ", " + this.host + ":"
					+ this.port + ", advertised " + this.advertisedHost + ", members=" + this.members + ", dnsName="
					+ this.dnsName + ", ha=" + this.ha + "]";
		}

	}

	/** A cluster node's part in high availability (Artemis replication, primary and backup pairs). */
	public enum HaRole {

		/** No backup: a node that dies takes the messages queued on it offline until it is back. */
		NONE,

		/** Serves clients and replicates its journal to a backup of the same group. */
		PRIMARY,

		/** Holds a replica of its group's primary and takes over when the primary dies. */
		BACKUP

	}

	/**
	 * The shortest redelivery interval other than off: the embedded engine waits this long before it considers a
	 * message unacknowledged (fixed in Moquette 0.17).
	 */
	public static final Duration MIN_REDELIVERY_INTERVAL = Duration.ofSeconds(5);

	/**
	 * Queue sizes that decide what happens under load (their defaults are those of {@code mqtt.broker.moquette.*}).
	 * @param sessionQueueSize commands each engine session loop can queue; reading from publishers pauses while a
	 * queue is a quarter full, and a routing that still overflows it is dropped at QoS 0 and left unacknowledged at
	 * QoS 1/2
	 * @param outboundBufferSize bytes that may wait to be written to one client; above it, QoS 0 messages to that
	 * client are dropped and QoS 1/2 ones wait in its session
	 */
	public record Buffers(int sessionQueueSize, int outboundBufferSize) {
	}

	/**
	 * What bounds the memory messages waiting for subscribers may take; each engine honours one of the two.
	 * @param maxQueuedMessages QoS 1/2 messages one session may hold beyond its in-flight window (Moquette); beyond
	 * it a message is dropped for that session, or {@code 0} when the engine pages instead
	 * @param maxMemoryBytes bytes all queued messages may take before they are paged to disk (Artemis), or
	 * {@code -1} for the engine's default (half the maximum heap)
	 */
	public record QueueLimits(int maxQueuedMessages, long maxMemoryBytes) {
	}

	/** When the journal of a persistent engine is forced to disk, relative to the acknowledgement. */
	public enum Sync {

		/** Each write is synced on its own before it is acknowledged. */
		EVERY_MESSAGE,

		/** Writes are synced in groups, at most a few milliseconds apart; each is acknowledged after its group. */
		BATCHED,

		/**
		 * Writes are acknowledged once handed to the operating system: they survive the broker's process being
		 * killed, not a power loss or a kernel crash.
		 */
		NONE

	}

	/**
	 * Persistence settings.
	 * @param enabled whether sessions, queued messages and retained messages survive a restart
	 * @param directory the directory the store lives in (required when enabled)
	 * @param autosaveInterval how often the store is committed to disk (Moquette)
	 * @param sync when the journal is forced to disk (Artemis)
	 */
	public record Persistence(boolean enabled, @Nullable Path directory, Duration autosaveInterval, Sync sync) {

		/**
		 * Persistence with batched syncs.
		 * @param enabled whether sessions, queued messages and retained messages survive a restart
		 * @param directory the directory the store lives in (required when enabled)
		 * @param autosaveInterval how often the store is committed to disk
		 */
		public Persistence(boolean enabled, @Nullable Path directory, Duration autosaveInterval) {
			this(enabled, directory, autosaveInterval, Sync.BATCHED);
		}

		/**
		 * The store's directory, for an engine that has persistence enabled.
		 * @return the directory
		 * @throws IllegalStateException when none is set
		 */
		public Path requireDirectory() {
			if (this.directory == null) {
				throw new IllegalStateException("Broker persistence is enabled but has no directory");
			}
			return this.directory;
		}

	}

	/**
	 * Access control settings.
	 * @param allowAnonymous whether clients without credentials may connect
	 * @param users the known users
	 * @param acl the access rules; empty means every connected client may publish and subscribe anywhere
	 */
	public record Security(boolean allowAnonymous, List<BrokerUser> users, List<AclRule> acl) {
	}

	/** Whether TLS clients must authenticate with a certificate. */
	public enum ClientAuth {

		/** No client certificate is asked for. */
		NONE,

		/** A client certificate is asked for but not required. */
		WANT,

		/** A client certificate trusted by the bundle's trust store is required. */
		NEED

	}

}
