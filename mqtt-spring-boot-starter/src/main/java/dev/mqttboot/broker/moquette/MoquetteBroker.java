package dev.mqttboot.broker.moquette;

import io.moquette.broker.subscriptions.Subscription;
import dev.mqttboot.broker.protocol.ConnectionLedger;
import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.BrokerEventListener;
import dev.mqttboot.broker.BrokerMessage;
import dev.mqttboot.broker.BrokerEventPublisher;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.BrokerSubscription;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.ConnectedClient;
import dev.mqttboot.broker.ListenerKeyMaterial;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MessageWatchers;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import dev.mqttboot.broker.PersistenceDirectory;
import dev.mqttboot.broker.SessionBacklog;
import dev.mqttboot.core.TopicSyntax;
import dev.mqttboot.core.TlsCertificate;
import dev.mqttboot.broker.UserCredentials;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.moquette.broker.EngineAccess;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.jspecify.annotations.Nullable;

/**
 * {@link MqttBroker} on the Moquette 0.17 engine (MQTT 3.1 and 3.1.1).
 * <p>
 * Moquette keeps sessions, subscriptions, queues, retained messages and persistence. The network side is ours (see
 * {@link NettyListeners}): it binds the ports, terminates TLS from a Spring SSL bundle, guards the protocol and
 * enforces the keep-alive ceiling. Moquette's telemetry is always off and it writes nothing outside the configured
 * persistence directory.
 */
public class MoquetteBroker implements MqttBroker {

	private static final Logger logger = LoggerFactory.getLogger(MoquetteBroker.class);

	/** The session loop that runs the broker's own publishes (a client id no client can take: it has a space). */
	private static final String INTERNAL_CLIENT_ID = "mqtt-boot broker";

	private static final long BACKLOG_TIMEOUT_SECONDS = 2;

	private final BrokerSettings settings;

	private final PasswordEncoder passwordEncoder;

	private final BrokerEventPublisher events = new BrokerEventPublisher();

	private final ConnectionLedger connections = new ConnectionLedger(this.events);

	private final BrokerTraffic traffic = new BrokerTraffic();

	private @Nullable Server server;

	private @Nullable NettyListeners listeners;

	/** The key material of the TLS listeners: the configured bundle, then each update of it. */
	private final ListenerKeyMaterial keys;

	private volatile BrokerPorts ports = BrokerPorts.NONE;

	private volatile boolean running;

	private final List<MqttBrokerCustomizer> customizers;

	private volatile Supplier<List<BrokerSubscription>> subscriptions = List::of;

	private volatile IntSupplier subscriptionCount = () -> 0;

	private final MessageWatchers watchers = new MessageWatchers();

	/** The access rules, the same for every start (the settings do not change). */
	private final AccessPolicy accessPolicy;

	private volatile @Nullable EngineHooks hooks;

	/**
	 * Create a broker; nothing is bound until {@link #start()}.
	 * @param settings the validated settings
	 * @param passwordEncoder checks passwords against the users' hashes
	 */
	public MoquetteBroker(BrokerSettings settings, PasswordEncoder passwordEncoder) {
		this(settings, passwordEncoder, List.of());
	}

	/**
	 * Create a broker; nothing is bound until {@link #start()}.
	 * @param settings the validated settings
	 * @param passwordEncoder checks passwords against the users' hashes
	 * @param customizers applied in order to the engine's configuration at each start
	 */
	public MoquetteBroker(BrokerSettings settings, PasswordEncoder passwordEncoder,
			List<MqttBrokerCustomizer> customizers) {
		this.settings = settings;
		this.keys = new ListenerKeyMaterial(settings);
		this.passwordEncoder = passwordEncoder;
		this.customizers = List.copyOf(customizers);
		this.accessPolicy = new AccessPolicy(settings.security().acl(), this.events);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		SslBundle sslBundle = this.keys.enabled() ? this.keys.atStart() : null;
		SslContext sslContext = (sslBundle != null) ? ServerSslContexts.create(sslBundle, this.settings.clientAuth())
				: null;
		Properties properties = engineProperties();
		MoquetteEngineConfiguration engineConfiguration = new MoquetteEngineConfiguration(this.settings, properties);
		this.customizers.forEach((customizer) -> customizer.customize(engineConfiguration));
		IConfig config = new MemoryConfig(properties);
		UserAuthenticator authenticator = new UserAuthenticator(
				new UserCredentials(this.settings.security().users(), this.passwordEncoder));
		AccessRules accessRules = new AccessRules(this.accessPolicy);
		Server engine = new Server();
		try {
			if (this.settings.persistence().enabled()) {
				int repaired = SessionExpiry.repairStore(Path.of(properties.getProperty("data_path")));
				if (repaired > 0) {
					logger.info("{} persistent sessions left by a hard stop restored", repaired);
				}
			}
			engine.startServer(config, List.of(new EngineEventAdapter(this.events, this.watchers)), () -> null, authenticator,
					accessRules);
		}
		catch (IOException | RuntimeException ex) {
			throw new BrokerStartException("mqtt.broker.persistence.directory",
					"The broker engine failed to start: " + ex.getMessage(),
					"Check the persistence directory and the broker settings", ex);
		}
		NettyListeners bound = null;
		EngineHooks hooks;
		try {
			ChannelHandler engineHandler = EngineAccess.connectionHandler(engine, config, authenticator);
			hooks = EngineHooks.install(engine, this.settings.redeliveryInterval(),
					this.settings.queueLimits().maxQueuedMessages(),
					() -> this.traffic.countDropped(BrokerTraffic.DropReason.QUEUE_FULL));
			SessionLoopPressure pressure = new SessionLoopPressure(EngineAccess.sessionQueueLengths(engine),
					this.settings.buffers().sessionQueueSize());
			bound = new NettyListeners(this.settings, engineHandler, hooks, EngineAccess.bufferFlushMillis(config),
					sslContext, this.connections, accessRules, pressure, this.traffic);
			this.ports = bound.bind();
		}
		catch (RuntimeException ex) {
			if (bound != null) {
				bound.close();
			}
			EngineAccess.stop(engine);
			throw ex;
		}
		this.server = engine;
		this.listeners = bound;
		this.hooks = hooks;
		Supplier<List<Subscription>> engineSubscriptions = EngineAccess.subscriptions(engine);
		this.subscriptions = () -> engineSubscriptions.get()
			.stream()
			.map((subscription) -> new BrokerSubscription(subscription.getClientId(),
					subscription.getTopicFilter().toString(), subscription.getRequestedQos().value()))
			.toList();
		this.subscriptionCount = EngineAccess.subscriptionCount(engine);
		this.events.clearEngineFailure();
		this.running = true;
		logger.info("Embedded MQTT broker (MQTT 3.1.1, Moquette) listening on {} ({})", this.settings.host(),
				this.ports);
	}

	@Override
	public boolean servesTls() {
		return this.keys.enabled();
	}

	@Override
	public Optional<TlsCertificate> servedCertificate() {
		return this.keys.served();
	}

	@Override
	public synchronized void updateKeyMaterial(SslBundle bundle) {
		this.keys.update(bundle, (next) -> {
			SslContext context = ServerSslContexts.create(next, this.settings.clientAuth());
			if (this.listeners != null) {
				this.listeners.sslContext(context);
			}
		});
	}

	private Properties engineProperties() {
		Properties properties = new Properties();
		// The engine binds nothing itself: NettyListeners does.
		properties.setProperty("port", "disabled");
		properties.setProperty("host", this.settings.host());
		properties.setProperty("allow_anonymous", Boolean.toString(this.settings.security().allowAnonymous()));
		properties.setProperty("allow_zero_byte_client_id", "true");
		properties.setProperty("netty.mqtt.message_size", Integer.toString(this.settings.maxMessageSize()));
		properties.setProperty("telemetry_enabled", "false");
		// Moquette's per-session-loop command queue (default 1,024) overflows under a burst; a routing that fails
		// there is dropped at QoS 0 and left unacknowledged at QoS 1/2 (bench scenarios 1 and 2).
		properties.setProperty("session_queue_size", Integer.toString(this.settings.buffers().sessionQueueSize()));
		BrokerSettings.Persistence persistence = this.settings.persistence();
		properties.setProperty("persistence_enabled", Boolean.toString(persistence.enabled()));
		if (persistence.enabled()) {
			Path directory = PersistenceDirectory.prepare(persistence.requireDirectory());
			properties.setProperty("data_path", directory.toString());
			// The H2 queue store is committed with the rest of the store; the segmented one writes its checkpoint only
			// when the engine stops, so after a hard kill every persistent session came back empty or not at all.
			properties.setProperty("persistent_queue_type", "h2");
			properties.setProperty("autosave_interval",
					Long.toString(Math.max(1, persistence.autosaveInterval().toSeconds())));
		}
		else {
			// Never read while persistence is off; set so nothing can default to the working directory.
			properties.setProperty("data_path", System.getProperty("java.io.tmpdir"));
		}
		return properties;
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		NettyListeners listeners = this.listeners;
		Server server = this.server;
		try {
			if (listeners != null) {
				listeners.close();
			}
		}
		finally {
			this.subscriptions = List::of;
			this.subscriptionCount = () -> 0;
			if (server != null) {
				EngineAccess.stop(server);
			}
			this.ports = BrokerPorts.NONE;
			this.listeners = null;
			this.hooks = null;
			this.server = null;
			logger.info("Embedded MQTT broker stopped");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public Optional<Throwable> engineFailure() {
		return this.events.engineFailure();
	}

	/**
	 * The keep-alive ceiling in effect.
	 * @return the ceiling, or {@code null} when there is none
	 */
	@Override
	public @Nullable Duration keepAliveCeiling() {
		return this.settings.maxKeepAlive();
	}

	@Override
	public BrokerPorts ports() {
		return this.ports;
	}

	@Override
	public List<ConnectedClient> connectedClients() {
		return this.connections.list();
	}

	@Override
	public List<BrokerSubscription> subscriptions() {
		return this.subscriptions.get();
	}

	@Override
	public int subscriptionCount() {
		return this.subscriptionCount.getAsInt();
	}

	@Override
	public BrokerTraffic traffic() {
		return this.traffic;
	}

	@Override
	public boolean disconnect(String clientId) {
		return this.connections.disconnect(clientId);
	}

	@Override
	public Optional<SessionBacklog> backlog(String clientId) {
		EngineHooks current = this.hooks;
		if (current == null) {
			return Optional.empty();
		}
		try {
			long[] counts = current.backlog(clientId).get(BACKLOG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return (counts != null) ? Optional.of(new SessionBacklog(counts[0], Math.max(0, counts[1])))
					: Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("The session of '{}' could not be read: {}", clientId, ex.toString());
			return Optional.empty();
		}
	}

	@Override
	public AccessPolicy accessPolicy() {
		return this.accessPolicy;
	}

	@Override
	public List<BrokerMessage> retainedMessages(String filter) {
		TopicSyntax.requireFilter(filter, this.settings.limits());
		return running().retained(filter)
			.stream()
			.map((stored) -> new BrokerMessage(stored.getTopic().toString(), stored.getPayload(),
					stored.qosLevel().value(), true))
			.sorted(Comparator.comparing(BrokerMessage::topic))
			.toList();
	}

	/**
	 * Routes through the engine's own internal publish, then stores a retained QoS 0 message as a client's would be
	 * (the engine's internal publish clears the topic for one instead).
	 */
	@Override
	public void publish(BrokerMessage message) {
		TopicSyntax.requireName(message.topic(), this.settings.limits());
		EngineHooks current = running();
		Server engine = Objects.requireNonNull(this.server, "the engine");
		MqttPublishMessage publish = new MqttPublishMessage(
				new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(message.qos()), message.retained(),
						0),
				new MqttPublishVariableHeader(message.topic(), (message.qos() > 0) ? 1 : 0),
				Unpooled.wrappedBuffer(message.payload()));
		engine.internalPublish(publish, INTERNAL_CLIENT_ID);
		if (message.retained() && message.qos() == 0 && message.payload().length > 0) {
			current.storeRetained(INTERNAL_CLIENT_ID, message.topic(), message.payload(), MqttQoS.AT_MOST_ONCE);
		}
		this.watchers.offer(message.topic(), message.qos(), message.retained(), message::payload);
	}

	@Override
	public AutoCloseable watch(String filter, Consumer<BrokerMessage> watcher) {
		return this.watchers.add(filter, watcher);
	}

	private EngineHooks running() {
		EngineHooks current = this.hooks;
		if (current == null || this.server == null) {
			throw new IllegalStateException("The broker is not running");
		}
		return current;
	}

	@Override
	public void addListener(BrokerEventListener listener) {
		this.events.add(listener);
	}

}
