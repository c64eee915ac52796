package dev.mqttboot.broker.artemis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.BrokerCluster;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerEventListener;
import dev.mqttboot.broker.BrokerEventPublisher;
import dev.mqttboot.broker.BrokerMessage;
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
import dev.mqttboot.broker.SessionBacklog;
import dev.mqttboot.broker.UserCredentials;
import dev.mqttboot.core.TlsCertificate;
import dev.mqttboot.core.TopicSyntax;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTConnection;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActivateCallback;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.AddressInfo;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.FileSystemUtils;
import org.jspecify.annotations.Nullable;

/**
 * The embedded broker on Apache ActiveMQ Artemis: MQTT 3.1.1 and 5 on the configured ports, the broker's users and
 * access rules through {@link ArtemisSecurity}, events and client records through {@link ArtemisEvents}, state in
 * Artemis's journal when persistence is on.
 */
public class ArtemisBroker implements MqttBroker {

	/** How long Artemis may take to start a node of an HA pair again after it stopped it itself. */
	private static final Duration HA_RESTART_GRACE = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(ArtemisBroker.class);

	private final BrokerSettings settings;

	private final PasswordEncoder passwordEncoder;

	private final List<MqttBrokerCustomizer> customizers;

	private final BrokerEventPublisher events = new BrokerEventPublisher();

	private final BrokerTraffic traffic = new BrokerTraffic();

	private volatile @Nullable ActiveMQServer server;

	/** The key material of the TLS acceptors: the configured bundle, then each update of it. */
	private final ListenerKeyMaterial keys;

	/** The files the TLS acceptors were configured with, while running with TLS. */
	private volatile @Nullable KeyMaterialFiles keyMaterial;

	private volatile @Nullable ArtemisEvents bridge;

	private volatile @Nullable ClusterObserver cluster;

	private volatile @Nullable ClusterRetainedMessages clusterRetained;

	/** The access rules, the same for every start (the settings do not change). */
	private final AccessPolicy accessPolicy;

	private final MessageWatchers watchers = new MessageWatchers();

	private volatile BrokerPorts ports = BrokerPorts.NONE;

	private volatile @Nullable Path scratchDirectory;

	/**
	 * Create a broker; nothing is bound until {@link #start()}.
	 * @param settings the validated settings
	 * @param passwordEncoder checks passwords against the users' hashes
	 * @param customizers applied in order to the engine's configuration at each start
	 */
	public ArtemisBroker(BrokerSettings settings, PasswordEncoder passwordEncoder,
			List<MqttBrokerCustomizer> customizers) {
		this.settings = settings;
		this.keys = new ListenerKeyMaterial(settings);
		this.passwordEncoder = passwordEncoder;
		this.customizers = List.copyOf(customizers);
		this.accessPolicy = new AccessPolicy(settings.security().acl(), this.events);
	}

	@Override
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		Path directory = dataDirectory();
		SslBundle sslBundle = this.keys.enabled() ? this.keys.atStart() : null;
		ArtemisEngineConfiguration engine = new ArtemisEngineConfiguration(this.settings, sslBundle, directory);
		this.keyMaterial = engine.keyMaterial();
		if (this.keyMaterial != null && sslBundle != null) {
			ServedSslContexts.serve(this.keyMaterial.keyStore, sslBundle.createSslContext());
		}
		this.customizers.forEach((customizer) -> customizer.customize(engine));
		ReleaseOrder releaseOrder = new ReleaseOrder();
		ArtemisEvents bridge = new ArtemisEvents(this.events, this.traffic, this.settings.maxKeepAlive(),
				this.accessPolicy, this.settings.limits(), this.settings.maxMessageSize(),
				this.settings.connectTimeout(), releaseOrder);
		engine.configuration().registerBrokerPlugin(bridge);
		engine.configuration().registerBrokerPlugin(new SessionStorageContext());
		engine.configuration().registerBrokerPlugin(new AssignedClientIdentifiers());
		engine.configuration().registerBrokerPlugin(new SubscriptionIdentifiers());
		engine.configuration().registerBrokerPlugin(releaseOrder);
		engine.configuration().registerBrokerPlugin(new ConsumerHandover());
		engine.configuration().registerBrokerPlugin(new WatchedMessages(this.watchers));
		BrokerSettings.Cluster clusterSettings = this.settings.cluster();
		ClusterObserver observer = clusterSettings.enabled() ? new ClusterObserver(clusterSettings) : null;
		ClusterRetainedMessages retained = clusterSettings.enabled()
				? new ClusterRetainedMessages(clusterSettings.requireNodeName()) : null;
		ClusterSessions sessions = clusterSettings.enabled()
				? new ClusterSessions(clusterSettings.requireNodeName()) : null;
		if (observer != null) {
			engine.configuration().registerBrokerPlugin(observer);
			engine.configuration().registerBrokerPlugin(retained);
			engine.configuration().registerBrokerPlugin(sessions);
		}
		ArtemisSecurity security = new ArtemisSecurity(
				new UserCredentials(this.settings.security().users(), this.passwordEncoder), this.accessPolicy,
				this.settings.security().allowAnonymous());
		ActiveMQServer engineServer = new ActiveMQServerImpl(engine.configuration(), security);
		engineServer.addProtocolManagerFactory(new UnrecognisedConnections(this.events));
		engineServer.registerActivateCallback(new ActivateCallback() {
			@Override
			public void activationComplete() {
				nowActive(engineServer, retained, sessions);
			}

			@Override
			public void stop(ActiveMQServer stopped) {
				stoppedOnItsOwn(stopped);
			}

			@Override
			public void shutdown(ActiveMQServer stopped) {
				stoppedOnItsOwn(stopped);
			}
		});
		try {
			engineServer.start();
			// A backup starts passive: it serves clients only once its primary is gone. So does a primary that finds
			// its backup serving in its place (after a fail-over): it copies the backup's journal and becomes its
			// backup.
			if (!engineServer.isActive() && clusterSettings.ha() == BrokerSettings.HaRole.NONE) {
				throw new IllegalStateException("the Artemis server did not become active");
			}
		}
		catch (Exception ex) {
			stopQuietly(engineServer);
			throw new BrokerStartException(startFailureProperty(ex), "The Artemis engine failed to start: "
					+ ex.getMessage(), "Check the broker's ports and persistence directory", ex);
		}
		this.server = engineServer;
		this.bridge = bridge;
		this.cluster = observer;
		this.clusterRetained = retained;
		this.ports = boundPorts(engineServer);
		this.events.clearEngineFailure();
		if (engineServer.isActive()) {
			logger.info("Embedded MQTT broker (MQTT 3.1.1 and 5, Artemis) listening on {} ({})", this.settings.host(),
					this.ports);
		}
		else {
			logger.info("Embedded MQTT broker (Artemis) started passive in HA group {}: it listens once it is the "
					+ "group's active node", clusterSettings.haGroup());
		}
	}

	/** The node serves clients now: at start, or when a backup took over from its primary. */
	private void nowActive(ActiveMQServer activeServer, @Nullable ClusterRetainedMessages retained,
			@Nullable ClusterSessions sessions) {
		if (retained != null && sessions != null) {
			try {
				retained.activate();
				sessions.activate();
			}
			catch (Exception ex) {
				this.events.accept(new BrokerEvent.EngineFailure(new IllegalStateException(
						"The cluster's retained messages or sessions could not be set up: " + ex.getMessage(), ex)));
			}
		}
		if (this.server == activeServer) {
			this.ports = boundPorts(activeServer);
			logger.info("Embedded MQTT broker (Artemis) took over as the active node of HA group {}, listening on {}",
					this.settings.cluster().haGroup(), this.ports);
		}
	}

	/**
	 * Artemis stops itself on a critical failure (journal I/O, a stuck component): clients are no longer served, so
	 * the broker reports it, as health and the engine-failure meter show. A stop the broker asked for is not one.
	 */
	private void stoppedOnItsOwn(ActiveMQServer stopped) {
		if (this.server != stopped) {
			return;
		}
		this.ports = BrokerPorts.NONE;
		if (this.settings.cluster().ha() == BrokerSettings.HaRole.NONE) {
			reportStoppedOnItsOwn();
			return;
		}
		// Artemis stops and starts a node of an HA pair again itself (restart-backup: a backup that must copy a
		// journal anew waits passive again). Only one that stays stopped has failed.
		CompletableFuture.delayedExecutor(HA_RESTART_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
			if (this.server == stopped && !stopped.isStarted()) {
				reportStoppedOnItsOwn();
			}
		});
	}

	private void reportStoppedOnItsOwn() {
		this.events.accept(new BrokerEvent.EngineFailure(
				new IllegalStateException("The Artemis engine stopped on its own; restart the broker")));
	}

	private static String startFailureProperty(Exception ex) {
		String message = String.valueOf(ex.getMessage()).toLowerCase();
		return (message.contains("bind") || message.contains("address already in use")) ? "mqtt.broker.port"
				: "mqtt.broker.persistence.directory";
	}

	private Path dataDirectory() {
		BrokerSettings.Persistence persistence = this.settings.persistence();
		if (persistence.enabled()) {
			return dev.mqttboot.broker.PersistenceDirectory.prepare(persistence.requireDirectory());
		}
		// Artemis pages to disk even without persistence: a scratch directory of this run, removed on stop.
		try {
			this.scratchDirectory = Files.createTempDirectory("mqtt-artemis-");
			return this.scratchDirectory;
		}
		catch (IOException ex) {
			throw new BrokerStartException("mqtt.broker.persistence.enabled",
					"The Artemis engine needs a scratch directory and none could be created: " + ex.getMessage(),
					"Make the temporary directory writable, or turn persistence on with a directory", ex);
		}
	}

	private BrokerPorts boundPorts(ActiveMQServer server) {
		if (server.getRemotingService() == null) {
			// A passive backup has no listener until it takes over.
			return BrokerPorts.NONE;
		}
		Map<String, Acceptor> acceptors = server.getRemotingService().getAcceptors();
		return new BrokerPorts(port(acceptors, ArtemisEngineConfiguration.MQTT),
				port(acceptors, ArtemisEngineConfiguration.MQTT_SSL),
				port(acceptors, ArtemisEngineConfiguration.WEBSOCKET),
				port(acceptors, ArtemisEngineConfiguration.WEBSOCKET_SSL));
	}

	private static int port(Map<String, Acceptor> acceptors, String name) {
		Acceptor acceptor = acceptors.get(name);
		return (acceptor instanceof NettyAcceptor netty) ? netty.getActualPort() : BrokerPorts.DISABLED;
	}

	@Override
	public synchronized void stop() {
		ActiveMQServer running = this.server;
		if (running == null) {
			return;
		}
		this.server = null;
		this.bridge = null;
		this.cluster = null;
		this.ports = BrokerPorts.NONE;
		stopQuietly(running);
		if (this.keyMaterial != null) {
			ServedSslContexts.forget(this.keyMaterial.keyStore);
			this.keyMaterial = null;
		}
		Path scratch = this.scratchDirectory;
		if (scratch != null) {
			FileSystemUtils.deleteRecursively(scratch.toFile());
			this.scratchDirectory = null;
		}
		logger.info("Embedded MQTT broker stopped");
	}

	private static void stopQuietly(ActiveMQServer server) {
		try {
			server.stop();
		}
		catch (Exception ex) {
			logger.warn("The Artemis engine did not stop cleanly: {}", ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		ActiveMQServer running = this.server;
		return running != null && running.isStarted();
	}

	@Override
	public BrokerPorts ports() {
		return this.ports;
	}

	@Override
	public @Nullable Duration keepAliveCeiling() {
		return this.settings.maxKeepAlive();
	}

	@Override
	public boolean supportsSharedSubscriptions() {
		return true;
	}

	@Override
	public List<ConnectedClient> connectedClients() {
		ArtemisEvents current = this.bridge;
		return (current != null) ? current.connectedClients() : List.of();
	}

	@Override
	public List<BrokerSubscription> subscriptions() {
		MQTTStateManager state = stateManager();
		if (state == null) {
			return List.of();
		}
		List<BrokerSubscription> subscriptions = new ArrayList<>();
		for (MQTTSessionState session : state.getSessionStates().values()) {
			for (MqttTopicSubscription subscription : session.getSubscriptions()) {
				subscriptions.add(new BrokerSubscription(session.getClientId(), subscription.topicFilter(),
						subscription.qualityOfService().value()));
			}
		}
		return subscriptions;
	}

	@Override
	public BrokerTraffic traffic() {
		return this.traffic;
	}

	@Override
	public boolean isClusterNode() {
		return this.settings.cluster().enabled();
	}

	@Override
	public Optional<BrokerCluster> cluster() {
		ClusterObserver current = this.cluster;
		return (current != null) ? Optional.of(current.view()) : Optional.empty();
	}

	@Override
	public boolean servesTls() {
		return this.keys.enabled();
	}

	@Override
	public Optional<TlsCertificate> servedCertificate() {
		return this.keys.served();
	}

	/**
	 * The TLS acceptors serve the context {@link ServedSslContexts} holds for their key store file: replacing it
	 * gives new connections the new material, and touches neither the listening sockets nor open connections.
	 */
	@Override
	public synchronized void updateKeyMaterial(SslBundle bundle) {
		this.keys.update(bundle, (next) -> {
			KeyMaterialFiles files = this.keyMaterial;
			if (this.server != null && files != null) {
				ServedSslContexts.serve(files.keyStore, next.createSslContext());
			}
		});
	}

	@Override
	public boolean disconnect(String clientId) {
		MQTTStateManager state = stateManager();
		ArtemisEvents current = this.bridge;
		if (state == null || current == null) {
			return false;
		}
		MQTTConnection connection = state.getConnectedClient(clientId);
		if (connection == null) {
			return false;
		}
		current.endingByServer(clientId);
		connection.getTransportConnection().forceClose();
		return true;
	}

	@Override
	public Optional<SessionBacklog> backlog(String clientId) {
		ActiveMQServer current = this.server;
		MQTTSessionState state = (current != null) ? MqttSessions.state(current, clientId) : null;
		if (current == null || state == null) {
			return Optional.empty();
		}
		WildcardConfiguration wildcards = current.getConfiguration().getWildcardConfiguration();
		long inFlight = 0;
		long queued = 0;
		for (MqttTopicSubscription subscription : state.getSubscriptions()) {
			if (MQTTUtil.isSharedSubscription(subscription.topicFilter())) {
				// One queue for the whole group: not this client's alone.
				continue;
			}
			Queue queue = current.locateQueue(
					MQTTUtil.getCoreQueueFromMqttTopic(subscription.topicFilter(), clientId, wildcards));
			if (queue != null) {
				long delivering = queue.getDeliveringCount();
				inFlight += delivering;
				queued += Math.max(0, queue.getMessageCount() - delivering);
			}
		}
		return Optional.of(new SessionBacklog(inFlight, queued));
	}

	@Override
	public AccessPolicy accessPolicy() {
		return this.accessPolicy;
	}

	@Override
	public List<BrokerMessage> retainedMessages(String filter) {
		TopicSyntax.requireFilter(filter, this.settings.limits());
		try {
			return RetainedStore.matching(active(), filter);
		}
		catch (IllegalStateException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("The retained messages could not be read: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Routes a core message shaped as the MQTT layer shapes a PUBLISH through the post office (to this node's
	 * subscriptions and, clustered, to the other nodes'), and stores a retained one as the MQTT layer would, sending
	 * it to the other nodes as a client's is.
	 */
	@Override
	public void publish(BrokerMessage message) {
		TopicSyntax.requireName(message.topic(), this.settings.limits());
		ActiveMQServer current = active();
		String address = MQTTUtil.getCoreAddressFromMqttTopic(message.topic(),
				current.getConfiguration().getWildcardConfiguration());
		try {
			CoreMessage core = ArtemisMessages.fromBrokerMessage(current.getStorageManager().generateID(), address,
					message);
			if (message.retained()) {
				RetainedStore.replace(current, address, (message.payload().length > 0) ? core : null);
				ClusterRetainedMessages retained = this.clusterRetained;
				if (retained != null) {
					retained.forward(core, null);
				}
			}
			SimpleString name = SimpleString.of(address);
			if (current.getAddressInfo(name) == null) {
				current.addAddressInfo(new AddressInfo(name).addRoutingType(RoutingType.MULTICAST).setAutoCreated(true));
			}
			current.getPostOffice().route(core, true);
		}
		catch (Exception ex) {
			throw new IllegalStateException("The message to '" + message.topic() + "' could not be published: "
					+ ex.getMessage(), ex);
		}
		this.watchers.offer(message.topic(), message.qos(), message.retained(), message::payload);
	}

	@Override
	public AutoCloseable watch(String filter, Consumer<BrokerMessage> watcher) {
		return this.watchers.add(filter, watcher);
	}

	private ActiveMQServer active() {
		ActiveMQServer current = this.server;
		if (current == null || !current.isActive()) {
			throw new IllegalStateException("The broker is not running" + ((current != null) ? " (passive backup)" : ""));
		}
		return current;
	}

	private @Nullable MQTTStateManager stateManager() {
		return MqttSessions.stateManager(this.server);
	}

	@Override
	public Optional<Throwable> engineFailure() {
		return this.events.engineFailure();
	}

	@Override
	public void addListener(BrokerEventListener listener) {
		this.events.add(listener);
	}

}
