package dev.mqttboot.autoconfigure;

import dev.mqttboot.core.MqttProtocolVersion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mqttboot.broker.AclRule;
import dev.mqttboot.broker.BrokerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import org.jspecify.annotations.Nullable;

/**
 * Configuration properties for MQTT: the embedded broker ({@code mqtt.broker.*}) and the client connections
 * ({@code mqtt.client.*}).
 */
@ConfigurationProperties("mqtt")
public class MqttProperties {

	/**
	 * The embedded broker.
	 */
	private final Broker broker = new Broker();

	/**
	 * The default client connection.
	 */
	private final Client client = new Client();

	/**
	 * Annotated listeners.
	 */
	private final Listener listener = new Listener();

	/**
	 * Health reporting.
	 */
	private final Health health = new Health();

	/**
	 * Metrics.
	 */
	private final Metrics metrics = new Metrics();

	/**
	 * More client connections, by name. Each starts from mqtt.client and overrides what it sets; the values in this
	 * map are only what is written under its name (with the plain defaults), the settings a connection runs with
	 * come from ClientProperties.
	 */
	private final Map<String, Client> clients = new LinkedHashMap<>();

	public Broker getBroker() {
		return this.broker;
	}

	public Client getClient() {
		return this.client;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Health getHealth() {
		return this.health;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * Metrics.
	 */
	public static class Metrics {

		/**
		 * Whether the publish and listener timers publish percentile histograms (_bucket series, for quantiles in
		 * Prometheus); off by default, as each adds about 70 series per timer.
		 */
		private boolean histograms = false;

		public boolean isHistograms() {
			return this.histograms;
		}

		public void setHistograms(boolean histograms) {
			this.histograms = histograms;
		}

	}

	/**
	 * Health reporting.
	 */
	public static class Health {

		/**
		 * How long a client connection may be down (reconnecting) before its health is DOWN rather than UNKNOWN.
		 */
		private Duration clientGracePeriod = Duration.ofSeconds(30);

		public Duration getClientGracePeriod() {
			return this.clientGracePeriod;
		}

		public void setClientGracePeriod(Duration clientGracePeriod) {
			this.clientGracePeriod = clientGracePeriod;
		}

	}

	/**
	 * {@code @MqttListener} settings.
	 */
	public static class Listener {

		/**
		 * Topic prefix that messages a listener failed on are published to (as prefix/original-topic, QoS 1), after
		 * the error handler; the failed message is acknowledged only once the broker has acknowledged its dead letter.
		 * Unset: failed messages only go to the error handler.
		 */
		private @Nullable String deadLetterTopic;

		/**
		 * Messages waiting per listener for a worker; when full, the listener's connection waits (never drops).
		 */
		private int queueCapacity = 1000;

		/**
		 * When QoS 1 and 2 messages are acknowledged to the broker: after-processing (at-least-once: a crash
		 * mid-processing leads to redelivery) or on-receipt.
		 */
		private dev.mqttboot.listener.AckMode ackMode = dev.mqttboot.listener.AckMode.AFTER_PROCESSING;

		/**
		 * Which connection each listener receives on: dedicated (its own, client id "<client-id>-<listener-id>": a
		 * paused or slow listener never holds up another or the template) or shared (the client connection itself).
		 */
		private dev.mqttboot.listener.ListenerIsolation isolation = dev.mqttboot.listener.ListenerIsolation.DEDICATED;

		/**
		 * Whether listener invocations are observed (Micrometer Observation, "mqtt.listener"); over MQTT 5 an
		 * invocation continues the trace of the publish it processes (traceparent/tracestate user properties).
		 */
		private boolean observationEnabled;

		private final Retry retry = new Retry();

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public dev.mqttboot.listener.AckMode getAckMode() {
			return this.ackMode;
		}

		public void setAckMode(dev.mqttboot.listener.AckMode ackMode) {
			this.ackMode = ackMode;
		}

		public @Nullable String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public dev.mqttboot.listener.ListenerIsolation getIsolation() {
			return this.isolation;
		}

		public void setIsolation(dev.mqttboot.listener.ListenerIsolation isolation) {
			this.isolation = isolation;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Retry of a failed listener invocation before the error handler.
	 */
	public static class Retry {

		/**
		 * Whether a failed invocation is retried (a payload that does not convert never is).
		 */
		private boolean enabled = false;

		/**
		 * Attempts in all, the first included.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor by which each next delay grows.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between attempts.
		 */
		private Duration maxInterval = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/**
	 * Embedded broker properties.
	 */
	public static class Broker {

		/**
		 * Whether to run the embedded broker. When not set, it runs if no client URL (mqtt.client.url) is configured.
		 */
		private @Nullable Boolean enabled;

		/**
		 * The embedded broker's engine: moquette (small, MQTT 3.1.1; needs mqtt-spring-boot-starter-moquette) or
		 * artemis (MQTT 3.1.1 and 5, shared subscriptions, crash-safe journal; needs
		 * mqtt-spring-boot-starter-artemis).
		 */
		private dev.mqttboot.broker.BrokerEngine engine = dev.mqttboot.broker.BrokerEngine.MOQUETTE;

		public dev.mqttboot.broker.BrokerEngine getEngine() {
			return this.engine;
		}

		public void setEngine(dev.mqttboot.broker.BrokerEngine engine) {
			this.engine = engine;
		}

		/**
		 * Address the broker's listeners bind to.
		 */
		private String host = "0.0.0.0";

		/**
		 * MQTT (TCP) port. 0 picks a free port, published as the local.mqtt.port property; -1 turns plain MQTT off.
		 */
		private int port = 1883;

		/**
		 * Largest MQTT packet the broker accepts; a bigger one closes that client's connection.
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(256);

		/**
		 * Time a new connection has to send its complete CONNECT packet, however slowly its bytes arrive.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * Keep-alive ceiling. A client that asks for no keep-alive (0) or a longer one is treated as if it had asked
		 * for this value: the broker closes it after 1.5x this much silence. Not set means no ceiling.
		 */
		private @Nullable Duration maxKeepAlive;

		/**
		 * Whether clients may connect without a user name.
		 */
		private boolean allowAnonymous = true;

		/**
		 * Users allowed to log in, each with a password hash prefixed by its format ({bcrypt}, {pbkdf2} or {noop}).
		 */
		private List<User> users = new ArrayList<>();

		/**
		 * File of more users, one "name:{format}hash" per line; blank lines and lines starting with # are ignored.
		 */
		private @Nullable Resource usersFile;

		/**
		 * Access rules. A deny rule covering the topic wins; otherwise, when no rule grants anything, every
		 * connected client may publish and subscribe anywhere; otherwise an action is allowed only when a rule grants
		 * it.
		 */
		private List<Acl> acl = new ArrayList<>();

		private final Websocket websocket = new Websocket();

		private final Ssl ssl = new Ssl();

		private final Persistence persistence = new Persistence();

		private final Limits limits = new Limits();

		private final Moquette moquette = new Moquette();

		private final Artemis artemis = new Artemis();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable Duration getMaxKeepAlive() {
			return this.maxKeepAlive;
		}

		public void setMaxKeepAlive(@Nullable Duration maxKeepAlive) {
			this.maxKeepAlive = maxKeepAlive;
		}

		public boolean isAllowAnonymous() {
			return this.allowAnonymous;
		}

		public void setAllowAnonymous(boolean allowAnonymous) {
			this.allowAnonymous = allowAnonymous;
		}

		public List<User> getUsers() {
			return this.users;
		}

		public void setUsers(List<User> users) {
			this.users = users;
		}

		public @Nullable Resource getUsersFile() {
			return this.usersFile;
		}

		public void setUsersFile(@Nullable Resource usersFile) {
			this.usersFile = usersFile;
		}

		public List<Acl> getAcl() {
			return this.acl;
		}

		public void setAcl(List<Acl> acl) {
			this.acl = acl;
		}

		public Websocket getWebsocket() {
			return this.websocket;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Persistence getPersistence() {
			return this.persistence;
		}

		public Limits getLimits() {
			return this.limits;
		}

		public Moquette getMoquette() {
			return this.moquette;
		}

		public Artemis getArtemis() {
			return this.artemis;
		}

	}

	/**
	 * Settings only the moquette engine reads (mqtt.broker.engine=moquette); the artemis engine ignores them.
	 */
	public static class Moquette {

		/**
		 * Commands each engine session loop can queue. Reading from publishing clients pauses while a queue is a
		 * quarter full (TCP then slows them down); what still overflows is dropped at QoS 0 and left unacknowledged at
		 * QoS 1/2. Moquette's own default, 1,024, overflows under bursts.
		 */
		private int sessionQueueSize = 32768;

		/**
		 * Bytes that may wait to be written to one slow client. Above it, QoS 0 messages to that client are dropped
		 * and QoS 1/2 ones wait in its session until it catches up. Netty's default, 64KB, drops most QoS 0 messages
		 * to a subscriber under a burst.
		 */
		private DataSize outboundBufferSize = DataSize.ofMegabytes(1);

		/**
		 * Most QoS 1/2 messages one session may hold beyond its in-flight window, for a slow or offline subscriber. A
		 * message beyond it is dropped for that session and counted in
		 * mqtt.broker.messages.dropped{reason=queue_full}, as Mosquitto's max_queued_messages does (ten times its
		 * default, and EMQX's and HiveMQ's, of 1,000).
		 */
		private int maxQueuedMessages = 10000;

		/**
		 * How often unacknowledged QoS 1/2 messages are resent on a live connection. 0 resends them only when a
		 * persistent session reconnects, as MQTT 3.1.1 requires and MQTT 5 and Mosquitto do; otherwise at least 5s
		 * (the engine's fixed in-flight timeout).
		 */
		private Duration redeliveryInterval = Duration.ofSeconds(0);

		/**
		 * How often the persistent store is committed to disk; a hard kill loses what changed since the last commit,
		 * and may deliver again what was acknowledged since. A graceful stop always commits.
		 */
		private Duration autosaveInterval = Duration.ofSeconds(30);

		public int getSessionQueueSize() {
			return this.sessionQueueSize;
		}

		public void setSessionQueueSize(int sessionQueueSize) {
			this.sessionQueueSize = sessionQueueSize;
		}

		public DataSize getOutboundBufferSize() {
			return this.outboundBufferSize;
		}

		public void setOutboundBufferSize(DataSize outboundBufferSize) {
			this.outboundBufferSize = outboundBufferSize;
		}

		public int getMaxQueuedMessages() {
			return this.maxQueuedMessages;
		}

		public void setMaxQueuedMessages(int maxQueuedMessages) {
			this.maxQueuedMessages = maxQueuedMessages;
		}

		public Duration getRedeliveryInterval() {
			return this.redeliveryInterval;
		}

		public void setRedeliveryInterval(Duration redeliveryInterval) {
			this.redeliveryInterval = redeliveryInterval;
		}

		public Duration getAutosaveInterval() {
			return this.autosaveInterval;
		}

		public void setAutosaveInterval(Duration autosaveInterval) {
			this.autosaveInterval = autosaveInterval;
		}

	}

	/**
	 * Settings only the artemis engine reads (mqtt.broker.engine=artemis); the moquette engine ignores them.
	 */
	public static class Artemis {

		/**
		 * When the journal is forced to disk: batched (a message is acknowledged once the group of writes it is in has
		 * been synced, a few milliseconds at most: survives a kill -9 and a power loss), every-message (each write
		 * synced on its own before its acknowledgement: the same guarantee, slower under load) or none (acknowledged
		 * once written to the operating system: survives a kill -9 of the broker, not a power loss or a kernel crash).
		 */
		private BrokerSettings.Sync journalSync = BrokerSettings.Sync.BATCHED;

		/**
		 * Memory all queued messages together may take. Beyond it, messages are paged to disk under the persistence
		 * directory (or a temporary one) instead of growing the heap, and read back as subscribers catch up. Unset:
		 * half the maximum heap, Artemis's own default.
		 */
		private @Nullable DataSize maxMemory;

		private final Cluster cluster = new Cluster();

		public BrokerSettings.Sync getJournalSync() {
			return this.journalSync;
		}

		public void setJournalSync(BrokerSettings.Sync journalSync) {
			this.journalSync = journalSync;
		}

		public @Nullable DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(@Nullable DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		public Cluster getCluster() {
			return this.cluster;
		}

	}

	/**
	 * The embedded broker as a node of an Artemis cluster: clients connect to any node, and a message is
	 * forwarded to the nodes whose clients subscribed to it.
	 */
	public static class Cluster {

		/**
		 * Whether this broker is a cluster node.
		 */
		private boolean enabled;

		/**
		 * This node's name, unique in the cluster. Defaults to the host name.
		 */
		private @Nullable String nodeName;

		/**
		 * The address the cluster listener binds. Defaults to mqtt.broker.host.
		 */
		private @Nullable String host;

		/**
		 * The cluster listener's port, where the other nodes connect (0 picks a free one).
		 */
		private int port = 61616;

		/**
		 * The address other nodes reach this one at (a pod's DNS name on Kubernetes). Defaults to the cluster host,
		 * or this machine's host name when that binds every address.
		 */
		private @Nullable String advertisedHost;

		/**
		 * Other nodes' cluster addresses as host:port (static discovery). A node needs to reach one member: the
		 * others learn of it from there.
		 */
		private List<String> members = new ArrayList<>();

		/**
		 * A DNS name whose addresses are the cluster's nodes, each listening on the cluster port (DNS discovery,
		 * e.g. a Kubernetes headless Service). Resolved at start-up.
		 */
		private @Nullable String dnsName;

		/**
		 * The user the nodes authenticate to each other with. Not an MQTT user.
		 */
		private String user = "mqtt-cluster";

		/**
		 * That user's password, the same on every node; required. A node that does not know it is refused.
		 */
		private @Nullable String password;

		private final Ha ha = new Ha();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getNodeName() {
			return this.nodeName;
		}

		public void setNodeName(@Nullable String nodeName) {
			this.nodeName = nodeName;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public @Nullable String getAdvertisedHost() {
			return this.advertisedHost;
		}

		public void setAdvertisedHost(@Nullable String advertisedHost) {
			this.advertisedHost = advertisedHost;
		}

		public List<String> getMembers() {
			return this.members;
		}

		public void setMembers(List<String> members) {
			this.members = members;
		}

		public @Nullable String getDnsName() {
			return this.dnsName;
		}

		public void setDnsName(@Nullable String dnsName) {
			this.dnsName = dnsName;
		}

		public String getUser() {
			return this.user;
		}

		public void setUser(String user) {
			this.user = user;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public Ha getHa() {
			return this.ha;
		}

	}

	/**
	 * High availability of a cluster node by replication: a backup holds a copy of its primary's journal and takes
	 * over, with the messages queued there, when the primary dies.
	 */
	public static class Ha {

		/**
		 * This node's part: none, primary or backup.
		 */
		private dev.mqttboot.broker.BrokerSettings.HaRole role = dev.mqttboot.broker.BrokerSettings.HaRole.NONE;

		/**
		 * The name that pairs a primary with its backup. Defaults to the node name on a primary; required on a
		 * backup.
		 */
		private @Nullable String group;

		public dev.mqttboot.broker.BrokerSettings.HaRole getRole() {
			return this.role;
		}

		public void setRole(dev.mqttboot.broker.BrokerSettings.HaRole role) {
			this.role = role;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

	}

	/**
	 * MQTT over WebSocket.
	 */
	public static class Websocket {

		/**
		 * WebSocket port. Not set means no WebSocket listener; 0 picks a free port.
		 */
		private @Nullable Integer port;

		/**
		 * HTTP path of the WebSocket endpoint.
		 */
		private String path = "/mqtt";

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

	/**
	 * TLS listeners.
	 */
	public static class Ssl {

		/**
		 * MQTT over TLS port. Not set means no TLS listener; 0 picks a free port. Needs mqtt.broker.ssl.bundle.
		 */
		private @Nullable Integer port;

		/**
		 * Secure WebSocket port. Not set means none; 0 picks a free port. Needs mqtt.broker.ssl.bundle.
		 */
		private @Nullable Integer websocketPort;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) holding the broker's key and certificate; its trust material
		 * checks client certificates.
		 */
		private @Nullable String bundle;

		/**
		 * Whether TLS clients must present a certificate: none, want or need.
		 */
		private BrokerSettings.ClientAuth clientAuth = BrokerSettings.ClientAuth.NONE;

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable Integer getWebsocketPort() {
			return this.websocketPort;
		}

		public void setWebsocketPort(@Nullable Integer websocketPort) {
			this.websocketPort = websocketPort;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public BrokerSettings.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(BrokerSettings.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

	}

	/**
	 * Broker persistence.
	 */
	public static class Persistence {

		/**
		 * Whether sessions, queued QoS 1/2 messages, subscriptions and retained messages survive a restart. Off by
		 * default: the broker then keeps everything in memory and writes no file.
		 */
		private boolean enabled;

		/**
		 * Directory of the persistent store; required when persistence is enabled. Nothing is written outside it.
		 */
		private @Nullable String directory;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

	}

	/**
	 * Limits on what clients may send; a client that goes past one loses its connection.
	 */
	public static class Limits {

		/**
		 * Most levels a topic name or filter may have.
		 */
		private int maxTopicLevels = 128;

		/**
		 * Longest topic name or filter, in characters.
		 */
		private int maxTopicLength = 65535;

		public int getMaxTopicLevels() {
			return this.maxTopicLevels;
		}

		public void setMaxTopicLevels(int maxTopicLevels) {
			this.maxTopicLevels = maxTopicLevels;
		}

		public int getMaxTopicLength() {
			return this.maxTopicLength;
		}

		public void setMaxTopicLength(int maxTopicLength) {
			this.maxTopicLength = maxTopicLength;
		}

	}

	/**
	 * A broker user.
	 */
	public static class User {

		/**
		 * User name.
		 */
		private @Nullable String name;

		/**
		 * Password hash with its format prefix: {bcrypt}..., {pbkdf2}... or {noop}plain (tests only).
		 */
		private @Nullable String password;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * An access rule.
	 */
	public static class Acl {

		/**
		 * User the rule applies to; not set means every client, anonymous ones included.
		 */
		private @Nullable String user;

		/**
		 * Topic filter the rule grants or denies; may use %u (user name) and %c (client id).
		 */
		private @Nullable String topic;

		/**
		 * What the rule grants: read (subscribe), write (publish) or readwrite; or denies, winning over any grant:
		 * deny (both), deny-read or deny-write.
		 */
		private AclRule.Access access = AclRule.Access.READWRITE;

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public AclRule.Access getAccess() {
			return this.access;
		}

		public void setAccess(AclRule.Access access) {
			this.access = access;
		}

	}

	/**
	 * A client connection. A connection under mqtt.clients.<name> starts from mqtt.client as bound, then binds its own
	 * properties over it: what it leaves unset is what mqtt.client says.
	 */
	public static class Client {

		/**
		 * Whether to create client connections (and the template). Only read on mqtt.client; turn it off for an
		 * application that only runs the broker.
		 */
		private boolean enabled = true;

		/**
		 * Broker URL(s), tried in order: tcp://, ssl://, ws:// or wss://. Unset: the embedded broker when it runs.
		 * When mqtt.client.url is set, the embedded broker stays off unless mqtt.broker.enabled is true.
		 */
		private List<String> url = new ArrayList<>();

		/**
		 * MQTT client identifier. Unset: the application name (plus the connection's name) and a short random suffix.
		 */
		private @Nullable String clientId;

		/**
		 * User name for the broker.
		 */
		private @Nullable String username;

		/**
		 * Password for the broker.
		 */
		private @Nullable String password;

		/**
		 * MQTT protocol version: 3.1.1 or 5.
		 */
		private MqttProtocolVersion protocolVersion = MqttProtocolVersion.V3_1_1;

		/**
		 * Whether template publishes are observed (Micrometer Observation, "mqtt.template"); over MQTT 5 the trace
		 * context is sent as traceparent/tracestate user properties. Only read on mqtt.client; it applies to every
		 * connection's template.
		 */
		private boolean observationEnabled;

		/**
		 * Keep-alive interval asked of the broker.
		 */
		private Duration keepAlive = Duration.ofSeconds(60);

		/**
		 * MQTT 3.1.1: start with a clean session (false keeps subscriptions and queued QoS 1/2 messages across
		 * reconnects).
		 */
		private boolean cleanSession = true;

		/**
		 * MQTT 5: start clean.
		 */
		private boolean cleanStart = true;

		/**
		 * MQTT 5: how long the broker keeps the session after a disconnect; 0 ends it with the connection.
		 */
		private Duration sessionExpiry = Duration.ofSeconds(0);

		/**
		 * Time one connect attempt may take.
		 */
		private Duration connectionTimeout = Duration.ofSeconds(10);

		/**
		 * Most publishes handed to the client and awaiting acknowledgement at once; more wait in the offline buffer.
		 */
		private int maxInflight = 100;

		/**
		 * QoS of a publish that names none: 0, 1 or 2.
		 */
		private int defaultQos = 1;

		/**
		 * Largest payload the template publishes; bigger ones are refused before sending.
		 */
		private DataSize maxPayloadSize = DataSize.ofKilobytes(256);

		private final Will will = new Will();

		private final ClientSsl ssl = new ClientSsl();

		private final Reconnect reconnect = new Reconnect();

		private final OfflineBuffer offlineBuffer = new OfflineBuffer();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getUrl() {
			return this.url;
		}

		public void setUrl(List<String> url) {
			this.url = url;
		}

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public MqttProtocolVersion getProtocolVersion() {
			return this.protocolVersion;
		}

		public void setProtocolVersion(MqttProtocolVersion protocolVersion) {
			this.protocolVersion = protocolVersion;
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Duration getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(Duration keepAlive) {
			this.keepAlive = keepAlive;
		}

		public boolean isCleanSession() {
			return this.cleanSession;
		}

		public void setCleanSession(boolean cleanSession) {
			this.cleanSession = cleanSession;
		}

		public boolean isCleanStart() {
			return this.cleanStart;
		}

		public void setCleanStart(boolean cleanStart) {
			this.cleanStart = cleanStart;
		}

		public Duration getSessionExpiry() {
			return this.sessionExpiry;
		}

		public void setSessionExpiry(Duration sessionExpiry) {
			this.sessionExpiry = sessionExpiry;
		}

		public Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public int getMaxInflight() {
			return this.maxInflight;
		}

		public void setMaxInflight(int maxInflight) {
			this.maxInflight = maxInflight;
		}

		public int getDefaultQos() {
			return this.defaultQos;
		}

		public void setDefaultQos(int defaultQos) {
			this.defaultQos = defaultQos;
		}

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

		public Will getWill() {
			return this.will;
		}

		public ClientSsl getSsl() {
			return this.ssl;
		}

		public Reconnect getReconnect() {
			return this.reconnect;
		}

		public OfflineBuffer getOfflineBuffer() {
			return this.offlineBuffer;
		}

	}

	/**
	 * A client's last will, published by the broker when the connection dies without DISCONNECT.
	 */
	public static class Will {

		/**
		 * Topic of the will. Unset: no will.
		 */
		private @Nullable String topic;

		/**
		 * Payload of the will (UTF-8).
		 */
		private String payload = "";

		/**
		 * QoS of the will: 0, 1 or 2.
		 */
		private int qos = 1;

		/**
		 * Whether the broker retains the will.
		 */
		private boolean retained;

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public String getPayload() {
			return this.payload;
		}

		public void setPayload(String payload) {
			this.payload = payload;
		}

		public int getQos() {
			return this.qos;
		}

		public void setQos(int qos) {
			this.qos = qos;
		}

		public boolean isRetained() {
			return this.retained;
		}

		public void setRetained(boolean retained) {
			this.retained = retained;
		}

	}

	/**
	 * Client TLS.
	 */
	public static class ClientSsl {

		/**
		 * SSL bundle (spring.ssl.bundle.*) whose trust material checks the broker's certificate for ssl:// and wss://
		 * (and whose key, if any, is the client certificate).
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Reconnect backoff: exponential, with jitter.
	 */
	public static class Reconnect {

		/**
		 * First delay before reconnecting.
		 */
		private Duration initialDelay = Duration.ofSeconds(1);

		/**
		 * Longest delay between reconnect attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

	/**
	 * Publishes that cannot go out yet: made while disconnected, or while max-inflight publishes await acknowledgement.
	 */
	public static class OfflineBuffer {

		/**
		 * How many publishes wait for the connection to come back or for a free in-flight slot, in order; more fail at
		 * once (never dropped silently). 0 turns the buffer off.
		 */
		private int size = 1000;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

	}

}
