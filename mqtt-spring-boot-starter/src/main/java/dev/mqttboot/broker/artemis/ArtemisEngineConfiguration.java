package dev.mqttboot.broker.artemis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.mqttboot.broker.BrokerEngineConfiguration;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.ssl.SslBundle;
import org.jspecify.annotations.Nullable;

/**
 * The Artemis configuration built from {@code mqtt.broker.*}, and Artemis's own broker properties
 * ({@code journalType}, {@code addressSettings."#".maxSizeBytes}, ...) for an {@link dev.mqttboot.broker.MqttBrokerCustomizer}.
 * What the starter sets from properties is refused there.
 */
final class ArtemisEngineConfiguration implements BrokerEngineConfiguration {

	static final String MQTT = "mqtt";

	static final String MQTT_SSL = "mqtt-ssl";

	static final String WEBSOCKET = "mqtt-websocket";

	static final String WEBSOCKET_SSL = "mqtt-websocket-ssl";

	/** How late past 1.5x its keep-alive a silent connection may be closed. */
	static final Duration KEEP_ALIVE_CHECK_INTERVAL = Duration.ofMillis(250);

	/** How often MQTT session states are scanned for a will delay or a session expiry that has run out. */
	static final Duration SESSION_SCAN_INTERVAL = Duration.ofMillis(250);

	/** Broker-property prefixes the starter owns, with the property to use instead. */
	private static final Map<String, String> OWNED = ownedKeys();

	private final BrokerSettings settings;

	private final ConfigurationImpl configuration = new ConfigurationImpl();

	private final Map<String, String> customized = new LinkedHashMap<>();

	/** The key material files of the TLS acceptors, or {@code null} without them. */
	private @Nullable KeyMaterialFiles keyMaterial;

	ArtemisEngineConfiguration(BrokerSettings settings, @Nullable SslBundle sslBundle, Path directory) {
		this.settings = settings;
		ConfigurationImpl config = this.configuration;
		config.setName(settings.cluster().enabled() ? settings.cluster().nodeName() : "mqtt-boot");
		config.setPersistenceEnabled(settings.persistence().enabled());
		config.setJournalDirectory(directory.resolve("journal").toString());
		config.setBindingsDirectory(directory.resolve("bindings").toString());
		config.setPagingDirectory(directory.resolve("paging").toString());
		config.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
		config.setNodeManagerLockDirectory(directory.toString());
		// Memory-mapped journal: the default NIO journal cannot keep up with a connection storm (ARTEMIS-NOTES.md).
		config.setJournalType(JournalType.MAPPED);
		sync(config, settings.persistence().sync());
		// Memory is bounded by paging: past this much, every address pages what it receives to disk (the address
		// settings' default full policy) and reads it back as subscribers catch up. Unset: Artemis's half the heap.
		if (settings.queueLimits().maxMemoryBytes() > 0) {
			config.setGlobalMaxSize(settings.queueLimits().maxMemoryBytes());
		}
		config.setSecurityEnabled(true);
		// Access rules with %c depend on the connection, which Artemis's caches (keyed by user) do not see.
		config.setAuthenticationCacheSize(0);
		config.setAuthorizationCacheSize(0);
		config.setJMXManagementEnabled(false);
		// MQTT's keep-alive is a connection TTL of 1.5x the keep-alive, checked every this often; Artemis's 2 s default
		// closed a client with a 1 s keep-alive after up to 3.5 s (MQTT: 1.5 s). A check walks the connection table
		// and does nothing else for an MQTT connection.
		config.setConnectionTtlCheckInterval(KEEP_ALIVE_CHECK_INTERVAL.toMillis());
		// MQTT 5 will delays and session expiries end when a scan of the session states finds them due: with Artemis's
		// 5 s default, a will with a 4 s delay went out after up to 9 s (6.8 s seen). A scan walks the session states.
		config.setMqttSessionScanInterval(SESSION_SCAN_INTERVAL.toMillis());
		// Artemis's own wildcard syntax stays: MQTT topics are translated to it and back (ArtemisSecurity). With MQTT's
		// syntax as the core one, Artemis 2.41 (not tried again on 2.53) found no retained message for a filter that
		// starts with a wildcard (it names retain addresses "$sys.mqtt.retain." + topic, a '.' its matcher then must
		// see as a separator).
		// MQTT subscription queues need neither: silence the warnings Artemis logs for each one without them.
		// MQTT redelivers until acknowledged: never move a message aside after some attempts. Dead-letter and expiry
		// addresses are set (Artemis warns for every queue without them) under $sys, where MQTT wildcards never reach,
		// and have no queues, so what would go there is dropped (an expired MQTT 5 message).
		config.addAddressSetting("#", new AddressSettings().setMaxDeliveryAttempts(-1)
			.setDeadLetterAddress(SimpleString.of("$sys/mqtt-boot/dead-letters"))
			.setExpiryAddress(SimpleString.of("$sys/mqtt-boot/expired"))
			.setAutoCreateDeadLetterResources(false)
			.setAutoCreateExpiryResources(false));
		addAcceptor(MQTT, settings.port(), null);
		// Artemis answers the WebSocket upgrade (subprotocol mqtt) on any acceptor, and on any path.
		addAcceptor(WEBSOCKET, settings.websocketPort(), null);
		if (settings.sslPort() != BrokerPorts.DISABLED || settings.sslWebsocketPort() != BrokerPorts.DISABLED) {
			if (sslBundle == null) {
				throw new IllegalStateException("A TLS listener is enabled without an SSL bundle");
			}
			this.keyMaterial = KeyMaterialFiles.write(sslBundle, directory);
			addAcceptor(MQTT_SSL, settings.sslPort(), this.keyMaterial);
			addAcceptor(WEBSOCKET_SSL, settings.sslWebsocketPort(), this.keyMaterial);
		}
		if (settings.cluster().enabled()) {
			ClusterSetup.configure(config, settings.cluster());
		}
	}

	/**
	 * An acknowledgement waits for the journal write of what it acknowledges; when that write reaches the disk is the
	 * sync policy. Artemis's timed buffer groups the writes of a few milliseconds into one sync; without it, every
	 * write is synced alone.
	 */
	private static void sync(ConfigurationImpl config, BrokerSettings.Sync sync) {
		config.setJournalDatasync(sync != BrokerSettings.Sync.NONE);
		if (sync == BrokerSettings.Sync.EVERY_MESSAGE) {
			config.setJournalBufferTimeout_NIO(0);
		}
	}

	private void addAcceptor(String name, int port, @Nullable KeyMaterialFiles keys) {
		if (port == BrokerPorts.DISABLED) {
			return;
		}
		String host = this.settings.host().contains(":") ? "[" + this.settings.host() + "]" : this.settings.host();
		StringBuilder uri = new StringBuilder("tcp://").append(host).append(':').append(port).append("?protocols=MQTT,")
			.append(UnrecognisedConnections.PROTOCOL);
		// Server Keep Alive for MQTT 5 in CONNACK; both versions are closed after 1.5x of it when they asked for more
		// (or 0). Without a ceiling, the client's own keep-alive holds (Artemis would impose 60 s).
		uri.append("&serverKeepAlive=")
			.append((this.settings.maxKeepAlive() != null) ? this.settings.maxKeepAlive().toSeconds() : -1);
		uri.append("&maximumPacketSize=").append(this.settings.maxMessageSize());
		// Until the first bytes name the protocol; ArtemisEvents holds the rest of the CONNECT to the same deadline.
		uri.append("&handshake-timeout=").append(Math.max(1, this.settings.connectTimeout().toSeconds()));
		// A denied publish is dropped (MQTT 5: PUBACK 0x87), as on Moquette; the connection stays.
		uri.append("&closeMqttConnectionOnPublishAuthorizationFailure=false");
		// [MQTT-4.6.0-6] No direct delivery: with it, a routing thread hands a new message straight to a subscriber
		// while the queue's own thread may still be writing an older one (its queue lock is released before the
		// write), and the newer one overtakes it. Bench scenario 10 (QoS 1 fan-in to a persistent session): 40,713 of
		// 400,000 late with it, 0 without; scenario 3 (QoS 2): 52 and 0. Every delivery goes through the queue's own
		// ordered executor instead.
		uri.append("&directDeliver=false");
		// One I/O thread per core (Artemis's default is three): the work happens on the server pool anyway.
		uri.append("&nioRemotingThreads=").append(Runtime.getRuntime().availableProcessors());
		if (keys != null) {
			uri.append("&sslEnabled=true&keyStoreType=PKCS12&keyStorePath=").append(keys.keyStore)
				.append("&keyStorePassword=").append(keys.password);
			if (keys.trustStore != null) {
				uri.append("&trustStoreType=PKCS12&trustStorePath=").append(keys.trustStore)
					.append("&trustStorePassword=").append(keys.password);
			}
			switch (this.settings.clientAuth()) {
				case NEED -> uri.append("&needClientAuth=true");
				case WANT -> uri.append("&wantClientAuth=true");
				default -> {
				}
			}
		}
		try {
			this.configuration.addAcceptorConfiguration(name, uri.toString());
		}
		catch (Exception ex) {
			throw new BrokerStartException("mqtt.broker.host", "The Artemis engine refused the listener " + uri + ": "
					+ ex.getMessage(), "Check mqtt.broker.host and mqtt.broker.port", ex);
		}
	}

	/** @return the files the TLS acceptors read their key material from, or {@code null} without TLS */
	@Nullable KeyMaterialFiles keyMaterial() {
		return this.keyMaterial;
	}

	ConfigurationImpl configuration() {
		return this.configuration;
	}

	@Override
	public String engine() {
		return "artemis";
	}

	@Override
	public BrokerSettings settings() {
		return this.settings;
	}

	@Override
	public void set(String key, String value) {
		for (Map.Entry<String, String> owned : OWNED.entrySet()) {
			if (key.equals(owned.getKey()) || key.startsWith(owned.getKey() + ".")) {
				throw new BrokerStartException(owned.getValue(),
						"An MqttBrokerCustomizer set the Artemis broker property '" + key + "', which the starter owns",
						"Set " + owned.getValue() + " instead", null);
			}
		}
		Properties properties = new Properties();
		properties.setProperty(key, value);
		String before = this.configuration.getStatus();
		try {
			this.configuration.parsePrefixedProperties(properties, null);
		}
		catch (Exception ex) {
			throw invalid(key, value, ex.getMessage());
		}
		String after = this.configuration.getStatus();
		if (!after.equals(before) && after.contains("\"" + key + "\"") && after.contains("error")) {
			throw invalid(key, value, "Artemis refused it (" + after + ")");
		}
		this.customized.put(key, value);
	}

	private static BrokerStartException invalid(String key, String value, @Nullable String reason) {
		return new BrokerStartException("mqtt.broker", "An MqttBrokerCustomizer set the Artemis broker property '"
				+ key + "' to '" + value + "': " + reason,
				"Use a property of Artemis's org.apache.activemq.artemis.core.config.Configuration, "
						+ "e.g. journalType or addressSettings.\"#\".maxSizeBytes", null);
	}

	@Override
	public @Nullable String get(String key) {
		return this.customized.get(key);
	}

	private static Map<String, String> ownedKeys() {
		Map<String, String> owned = new LinkedHashMap<>();
		owned.put("acceptorConfigurations", "mqtt.broker.port");
		owned.put("securityEnabled", "mqtt.broker.users");
		owned.put("authenticationCacheSize", "mqtt.broker.users");
		owned.put("authorizationCacheSize", "mqtt.broker.acl");
		owned.put("securitySettings", "mqtt.broker.acl");
		owned.put("persistenceEnabled", "mqtt.broker.persistence.enabled");
		owned.put("journalDatasync", "mqtt.broker.artemis.journal-sync");
		owned.put("journalBufferTimeout_NIO", "mqtt.broker.artemis.journal-sync");
		owned.put("globalMaxSize", "mqtt.broker.artemis.max-memory");
		owned.put("connectionTtlCheckInterval", "mqtt.broker.max-keep-alive (MQTT's keep-alive depends on it)");
		owned.put("mqttSessionScanInterval", "nothing: MQTT 5 will delays and session expiry depend on it");
		for (String directory : List.of("journalDirectory", "bindingsDirectory", "pagingDirectory",
				"largeMessagesDirectory", "nodeManagerLockDirectory")) {
			owned.put(directory, "mqtt.broker.persistence.directory");
		}
		owned.put("wildCardConfiguration", "nothing: the translation of MQTT topics depends on it");
		owned.put("brokerPlugins", "nothing: the starter's event bridge must stay");
		owned.put("clusterConfigurations", "mqtt.broker.artemis.cluster");
		owned.put("clusterUser", "mqtt.broker.artemis.cluster.user");
		owned.put("clusterPassword", "mqtt.broker.artemis.cluster.password");
		owned.put("HAPolicyConfiguration", "mqtt.broker.artemis.cluster.ha");
		owned.put("connectorConfigurations", "mqtt.broker.artemis.cluster");
		return owned;
	}

}
