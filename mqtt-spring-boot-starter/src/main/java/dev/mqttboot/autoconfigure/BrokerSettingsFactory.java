package dev.mqttboot.autoconfigure;

import dev.mqttboot.core.TopicLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mqttboot.broker.AclRule;
import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.broker.BrokerPasswords;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.BrokerUser;
import dev.mqttboot.core.TopicSyntax;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import org.jspecify.annotations.Nullable;

/**
 * Turns {@code mqtt.broker.*} properties into {@link BrokerSettings}, failing fast with a
 * {@link BrokerStartException} that names the property and what it accepts.
 */
final class BrokerSettingsFactory {

	private static final String PREFIX = "mqtt.broker.";

	private final MqttProperties.Broker properties;

	private final @Nullable SslBundles sslBundles;

	BrokerSettingsFactory(MqttProperties.Broker properties, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	BrokerSettings create() {
		MqttProperties.Broker p = this.properties;
		TopicLimits limits = limits(p.getLimits());
		int port = port("port", p.getPort());
		int websocketPort = optionalPort("websocket.port", p.getWebsocket().getPort());
		int sslPort = optionalPort("ssl.port", p.getSsl().getPort());
		int sslWebsocketPort = optionalPort("ssl.websocket-port", p.getSsl().getWebsocketPort());
		boolean tls = sslPort != BrokerPorts.DISABLED || sslWebsocketPort != BrokerPorts.DISABLED;
		SslBundle bundle = tls ? sslBundle(p.getSsl().getBundle()) : null;
		if (!StringUtils.hasText(p.getHost())) {
			throw invalid("host", "is empty", "an IP address or host name to bind, e.g. 0.0.0.0 or 127.0.0.1");
		}
		String path = p.getWebsocket().getPath();
		if (path == null || !path.startsWith("/")) {
			throw invalid("websocket.path", "'" + path + "' does not start with /", "an HTTP path such as /mqtt");
		}
		long maxMessageSize = p.getMaxMessageSize().toBytes();
		if (maxMessageSize < 64 || maxMessageSize > 268_435_455L) {
			throw invalid("max-message-size", p.getMaxMessageSize() + " is out of range",
					"a size between 64B and 256MB (MQTT's largest packet), e.g. 256KB");
		}
		if (p.getConnectTimeout() == null || p.getConnectTimeout().isNegative() || p.getConnectTimeout().isZero()) {
			throw invalid("connect-timeout", p.getConnectTimeout() + " is not positive", "a duration such as 10s");
		}
		MqttProperties.Moquette moquette = p.getMoquette();
		Duration redelivery = moquette.getRedeliveryInterval();
		if (redelivery == null || redelivery.isNegative() || (!redelivery.isZero()
				&& redelivery.compareTo(BrokerSettings.MIN_REDELIVERY_INTERVAL) < 0)) {
			throw invalid("moquette.redelivery-interval", redelivery + " is neither 0 nor at least 5s",
					"0 (resend only when a persistent session reconnects) or a duration of at least 5s, the "
							+ "engine's fixed in-flight timeout");
		}
		if (p.getMaxKeepAlive() != null
				&& (p.getMaxKeepAlive().toSeconds() < 1 || p.getMaxKeepAlive().toSeconds() > 65535)) {
			throw invalid("max-keep-alive", p.getMaxKeepAlive() + " is out of range",
					"a duration between 1s and 65535s (MQTT's largest keep-alive), or unset for no ceiling");
		}
		if (moquette.getSessionQueueSize() < 16 || moquette.getSessionQueueSize() > 1_048_576) {
			throw invalid("moquette.session-queue-size", moquette.getSessionQueueSize() + " is out of range",
					"16 to 1048576");
		}
		long outbound = (moquette.getOutboundBufferSize() != null) ? moquette.getOutboundBufferSize().toBytes() : -1;
		if (outbound < 1024 || outbound > 1024L * 1024 * 1024) {
			throw invalid("moquette.outbound-buffer-size", moquette.getOutboundBufferSize() + " is out of range",
					"a size between 1KB and 1GB, e.g. 1MB");
		}
		return new BrokerSettings(p.getHost(), port, websocketPort, path, sslPort, sslWebsocketPort, bundle,
				p.getSsl().getClientAuth(), (int) maxMessageSize, p.getConnectTimeout(), redelivery, p.getMaxKeepAlive(),
				persistence(p),
				new BrokerSettings.Security(p.isAllowAnonymous(), users(), acl(limits)), limits,
				new BrokerSettings.Buffers(moquette.getSessionQueueSize(), (int) outbound), queueLimits(p), cluster(p));
	}

	/**
	 * Clustering is Artemis's; its settings are checked here so that a typo fails before any port is bound. Unlike the
	 * other engine settings, an enabled cluster on moquette is refused: ignoring it would leave a node that believes it
	 * has peers.
	 */
	private static BrokerSettings.Cluster cluster(MqttProperties.Broker p) {
		MqttProperties.Cluster c = p.getArtemis().getCluster();
		if (!c.isEnabled()) {
			return BrokerSettings.Cluster.NONE;
		}
		if (p.getEngine() != BrokerEngine.ARTEMIS) {
			throw new BrokerStartException(PREFIX + "artemis.cluster.enabled", PREFIX
					+ "artemis.cluster.enabled is true, but the moquette engine (mqtt.broker.engine) cannot form a cluster",
					"Set mqtt.broker.engine=artemis (and add mqtt-spring-boot-starter-artemis), or remove "
							+ PREFIX + "artemis.cluster.enabled", null);
		}
		String clusterHost = c.getHost();
		String host = StringUtils.hasText(clusterHost) ? clusterHost : p.getHost();
		int port = c.getPort();
		if (port < 1 || port > 65535) {
			throw invalid("artemis.cluster.port", port + " is out of range",
					"a port from 1 to 65535 that the other nodes connect to (0, a random port, cannot be found by them)");
		}
		String advertised = StringUtils.hasText(c.getAdvertisedHost()) ? c.getAdvertisedHost()
				: isWildcard(host) ? localHostName() : host;
		List<String> members = new ArrayList<>();
		for (int i = 0; i < c.getMembers().size(); i++) {
			String member = c.getMembers().get(i).strip();
			int colon = member.lastIndexOf(':');
			boolean valid = colon > 0 && colon < member.length() - 1;
			if (valid) {
				try {
					int memberPort = Integer.parseInt(member.substring(colon + 1));
					valid = memberPort > 0 && memberPort <= 65535;
				}
				catch (NumberFormatException ex) {
					valid = false;
				}
			}
			if (!valid) {
				throw invalid("artemis.cluster.members[" + i + "]", "'" + member + "' is not host:port",
						"another node's cluster address, e.g. broker-1.broker:61616");
			}
			members.add(member);
		}
		String dnsName = StringUtils.hasText(c.getDnsName()) ? c.getDnsName().strip() : null;
		if (members.isEmpty() && dnsName == null) {
			throw invalid("artemis.cluster.members", "is empty and so is " + PREFIX + "artemis.cluster.dns-name",
					"the other nodes as host:port, or set " + PREFIX + "artemis.cluster.dns-name to a name that resolves to "
							+ "every node (a Kubernetes headless Service)");
		}
		if (!StringUtils.hasText(c.getUser())) {
			throw invalid("artemis.cluster.user", "is empty", "a user name the nodes share, e.g. mqtt-cluster");
		}
		if (!StringUtils.hasText(c.getPassword())) {
			throw invalid("artemis.cluster.password", "is not set but clustering is enabled",
					"a secret shared by every node (nodes that do not know it are refused)");
		}
		for (MqttProperties.User user : p.getUsers()) {
			if (c.getUser().equals(user.getName())) {
				throw invalid("artemis.cluster.user", "'" + c.getUser() + "' is also an MQTT user (mqtt.broker.users)",
						"a name no MQTT user has");
			}
		}
		String nodeName = StringUtils.hasText(c.getNodeName()) ? c.getNodeName() : localHostName();
		BrokerSettings.HaRole role = c.getHa().getRole();
		if (role == null) {
			throw invalid("artemis.cluster.ha.role", "is empty", "none, primary or backup");
		}
		String group = StringUtils.hasText(c.getHa().getGroup()) ? c.getHa().getGroup() : null;
		if (role == BrokerSettings.HaRole.BACKUP && group == null) {
			throw invalid("artemis.cluster.ha.group", "is not set on a backup",
					"the group name of the primary this node backs up (its node name, unless it set another)");
		}
		if (role == BrokerSettings.HaRole.PRIMARY && group == null) {
			group = nodeName;
		}
		if (role != BrokerSettings.HaRole.NONE && !p.getPersistence().isEnabled()) {
			throw invalid("artemis.cluster.ha.role", role.name().toLowerCase() + " without persistence",
					"none, or enable mqtt.broker.persistence (replication copies the journal)");
		}
		return new BrokerSettings.Cluster(true, nodeName, host, port, advertised, members, dnsName, c.getUser(),
				c.getPassword(), role, group);
	}

	private static boolean isWildcard(String host) {
		return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
	}

	private static String localHostName() {
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (java.net.UnknownHostException ex) {
			throw new BrokerStartException(PREFIX + "artemis.cluster.advertised-host",
					"This machine's host name cannot be resolved: " + ex.getMessage(),
					"Set " + PREFIX + "artemis.cluster.advertised-host and " + PREFIX + "artemis.cluster.node-name", ex);
		}
	}

	/** Each engine honours one of the two limits, from its own group. */
	private static BrokerSettings.QueueLimits queueLimits(MqttProperties.Broker p) {
		int maxQueued = p.getMoquette().getMaxQueuedMessages();
		if (maxQueued < 1 || maxQueued > 100_000_000) {
			throw invalid("moquette.max-queued-messages", maxQueued + " is out of range", "1 to 100000000, e.g. 10000");
		}
		DataSize maxMemory = p.getArtemis().getMaxMemory();
		if (maxMemory != null && maxMemory.toBytes() < 1024 * 1024) {
			throw invalid("artemis.max-memory", maxMemory + " is smaller than 1MB", "a size such as 256MB");
		}
		boolean artemis = p.getEngine() == BrokerEngine.ARTEMIS;
		return new BrokerSettings.QueueLimits(artemis ? 0 : maxQueued, (maxMemory != null) ? maxMemory.toBytes() : -1);
	}

	private static int port(String name, int port) {
		if (port == -1) {
			return BrokerPorts.DISABLED;
		}
		if (port < 0 || port > 65535) {
			throw invalid(name, port + " is out of range", "a port from 0 to 65535 (0 picks a free port), or -1 for off");
		}
		return port;
	}

	private static int optionalPort(String name, @Nullable Integer port) {
		return (port != null) ? port(name, port) : BrokerPorts.DISABLED;
	}

	private SslBundle sslBundle(@Nullable String name) {
		if (!StringUtils.hasText(name)) {
			throw invalid("ssl.bundle", "is not set but a TLS listener is configured",
					"the name of an SSL bundle defined under spring.ssl.bundle.jks, .pem or .pkcs12");
		}
		if (this.sslBundles == null) {
			throw invalid("ssl.bundle", "'" + name + "' cannot be looked up: no SslBundles bean",
					"a bundle defined under spring.ssl.bundle.*");
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new BrokerStartException(PREFIX + "ssl.bundle", "There is no SSL bundle named '" + name + "'",
					"Set " + PREFIX + "ssl.bundle to one of the configured bundles " + this.sslBundles.getBundleNames()
							+ ", or define '" + name + "' under spring.ssl.bundle.jks, .pem or .pkcs12",
					ex);
		}
	}

	private static BrokerSettings.Persistence persistence(MqttProperties.Broker broker) {
		MqttProperties.Persistence p = broker.getPersistence();
		Path directory = null;
		if (p.isEnabled()) {
			if (!StringUtils.hasText(p.getDirectory())) {
				throw invalid("persistence.directory", "is not set but persistence is enabled",
						"a writable directory for the broker's store, e.g. /var/lib/mqtt-broker");
			}
			directory = Path.of(p.getDirectory());
		}
		Duration autosave = broker.getMoquette().getAutosaveInterval();
		if (autosave == null || autosave.toSeconds() < 1) {
			throw invalid("moquette.autosave-interval", autosave + " is shorter than 1s",
					"a duration of at least 1s, e.g. 30s");
		}
		BrokerSettings.Sync sync = broker.getArtemis().getJournalSync();
		if (sync == null) {
			throw invalid("artemis.journal-sync", "is empty", "batched, every-message or none");
		}
		return new BrokerSettings.Persistence(p.isEnabled(), directory, autosave, sync);
	}

	private static TopicLimits limits(MqttProperties.Limits p) {
		if (p.getMaxTopicLevels() < 1 || p.getMaxTopicLevels() > 1024) {
			throw invalid("limits.max-topic-levels", p.getMaxTopicLevels() + " is out of range", "1 to 1024");
		}
		if (p.getMaxTopicLength() < 1 || p.getMaxTopicLength() > 65535) {
			throw invalid("limits.max-topic-length", p.getMaxTopicLength() + " is out of range", "1 to 65535");
		}
		return new TopicLimits(p.getMaxTopicLevels(), p.getMaxTopicLength());
	}

	private List<BrokerUser> users() {
		List<BrokerUser> users = new ArrayList<>();
		List<MqttProperties.User> configured = this.properties.getUsers();
		for (int i = 0; i < configured.size(); i++) {
			MqttProperties.User user = configured.get(i);
			String property = "users[" + i + "]";
			if (!StringUtils.hasText(user.getName())) {
				throw invalid(property + ".name", "is empty", "a user name");
			}
			String password = user.getPassword();
			String problem = BrokerPasswords.check(password);
			if (problem != null || password == null) {
				throw invalid(property + ".password", "of user '" + user.getName() + "': " + problem,
						"a hash prefixed with {bcrypt}, {pbkdf2} or {noop}");
			}
			users.add(new BrokerUser(user.getName(), password));
		}
		Resource file = this.properties.getUsersFile();
		if (file != null) {
			users.addAll(readUsersFile(file));
		}
		return users;
	}

	private static List<BrokerUser> readUsersFile(Resource file) {
		List<BrokerUser> users = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			int number = 0;
			while ((line = reader.readLine()) != null) {
				number++;
				String trimmed = line.strip();
				if (trimmed.isEmpty() || trimmed.startsWith("#")) {
					continue;
				}
				int colon = trimmed.indexOf(':');
				String problem = (colon <= 0) ? "is not name:{format}hash"
						: BrokerPasswords.check(trimmed.substring(colon + 1));
				if (problem != null) {
					throw invalid("users-file", "line " + number + " of " + file.getDescription() + ": " + problem,
							"one user per line as name:{bcrypt}hash, name:{pbkdf2}hash or name:{noop}password");
				}
				users.add(new BrokerUser(trimmed.substring(0, colon), trimmed.substring(colon + 1)));
			}
		}
		catch (IOException ex) {
			throw new BrokerStartException(PREFIX + "users-file",
					"The users file " + file.getDescription() + " cannot be read: " + ex.getMessage(),
					"Set " + PREFIX + "users-file to a readable file, e.g. file:/etc/mqtt/users", ex);
		}
		return users;
	}

	private static List<AclRule> acl(List<MqttProperties.Acl> configured, TopicLimits limits) {
		List<AclRule> rules = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			MqttProperties.Acl rule = configured.get(i);
			String property = "acl[" + i + "]";
			String topic = rule.getTopic();
			String problem = (topic == null) ? "topic is empty"
					: TopicSyntax.checkFilter(topic.replace("%u", "u").replace("%c", "c"), limits);
			if (problem != null || topic == null) {
				throw invalid(property + ".topic", "'" + topic + "' is not a valid topic filter: " + problem,
						"an MQTT topic filter such as sensors/+/temperature or devices/%u/#");
			}
			if (rule.getAccess() == null) {
				throw invalid(property + ".access", "is not set", "read, write, readwrite, deny, deny-read or deny-write");
			}
			String user = rule.getUser();
			rules.add(new AclRule(StringUtils.hasText(user) ? user : null, topic,
					rule.getAccess()));
		}
		return rules;
	}

	private List<AclRule> acl(TopicLimits limits) {
		return acl(this.properties.getAcl(), limits);
	}

	private static BrokerStartException invalid(String name, String problem, String accepted) {
		return new BrokerStartException(PREFIX + name, "Invalid value for " + PREFIX + name + ": " + problem,
				"Set " + PREFIX + name + " to " + accepted, null);
	}

}
