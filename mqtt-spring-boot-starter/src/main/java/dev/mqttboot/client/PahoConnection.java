package dev.mqttboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import dev.mqttboot.core.KeyMaterial;
import dev.mqttboot.core.MqttProtocolVersion;
import dev.mqttboot.core.TlsCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.Lifecycle;

import org.jspecify.annotations.Nullable;

/**
 * A client connection, built from parts that each do one job under one lock of their own: the {@link ReconnectLoop}
 * (connect, and reconnect with backoff, also after a failed first connect), the {@link PublishWindow} (in-flight
 * limit and bounded buffer), the {@link SubscriptionTable} (what is asked for and what the broker holds, restored
 * after every connect) and the {@link InboundDispatcher} (received messages to handlers, acknowledged once). The
 * protocol is a {@link PahoClient}; this class only wires the parts and reports the lifecycle events.
 */
final class PahoConnection implements MqttConnection, Lifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PahoConnection.class);

	/** Creates the protocol client for the resolved URLs. */
	@FunctionalInterface
	interface ClientFactory {

		PahoClient create(MqttConnectionSettings settings, MqttConnectionSettings.Address address,
				PahoClient.Callbacks callbacks);

	}

	private final MqttConnectionSettings settings;

	private final Consumer<Object> events;

	private final ClientFactory clientFactory;

	private final ReconnectLoop reconnect;

	private final PublishWindow window;

	private final SubscriptionTable subscriptions;

	private final InboundDispatcher dispatcher;

	private final List<ConnectionObserver> observers = new CopyOnWriteArrayList<>();

	private volatile @Nullable PahoClient client;

	private volatile boolean running;

	private volatile boolean connected;

	private volatile boolean everConnected;

	private volatile @Nullable Disconnect lastDisconnect;

	private volatile List<String> urls;

	private volatile @Nullable String currentUrl;

	/** The bundle {@link #presentedCertificate} was read from, and what it read. Guarded by this. */
	private @Nullable SslBundle certificateBundle;

	private @Nullable TlsCertificate presentedCertificate;

	/**
	 * @param settings the settings; their address is asked for at start
	 * @param events publishes application events
	 * @param clientFactory creates the protocol client
	 */
	PahoConnection(MqttConnectionSettings settings, Consumer<Object> events, ClientFactory clientFactory) {
		this.settings = settings;
		this.events = events;
		this.clientFactory = clientFactory;
		this.reconnect = new ReconnectLoop(() -> Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "mqtt-" + settings.name() + "-connect");
			thread.setDaemon(true);
			return thread;
		}), new ReconnectBackoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay()), this::connectOnce);
		this.window = new PublishWindow(settings.name(), settings.maxInflight(), settings.offlineBufferSize(),
				this::send);
		this.subscriptions = new SubscriptionTable(new SubscriptionTable.Wire() {
			@Override
			public void subscribe(String topicFilter, int qos) {
				PahoConnection.this.client().subscribe(topicFilter, qos, (answer) -> answered(topicFilter, answer));
			}

			@Override
			public void unsubscribe(String topicFilter) {
				PahoConnection.this.client().unsubscribe(topicFilter);
			}
		});
		this.dispatcher = new InboundDispatcher(settings.name(), this.subscriptions,
				(messageId, qos) -> client().acknowledge(messageId, qos));
		this.urls = List.of();
	}

	// ---- lifecycle ----

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		MqttConnectionSettings.Address address = this.settings.address().get();
		if (address.urls().isEmpty()) {
			throw new IllegalStateException("MQTT client '" + name() + "' has no broker URL to connect to");
		}
		this.urls = address.urls();
		this.currentUrl = this.urls.get(0);
		this.client = this.clientFactory.create(this.settings, address, new PahoClient.Callbacks() {
			@Override
			public void connectionLost(Throwable cause) {
				lost(cause);
			}

			@Override
			public void messageArrived(ReceivedMessage message) {
				received(message);
			}
		});
		this.running = true;
		logger.info("MQTT client '{}' connecting to {} as '{}' ({})", name(), this.urls, clientId(),
				protocolVersion());
		this.reconnect.start();
	}

	/** The protocol client, which exists from the first {@link #start()} on. */
	private PahoClient client() {
		PahoClient client = this.client;
		if (client == null) {
			throw new IllegalStateException("MQTT client '" + name() + "' has not been started");
		}
		return client;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.reconnect.stop();
		client().close();
		this.connected = false;
		this.subscriptions.disconnected();
		this.lastDisconnect = new Disconnect(null, Instant.now());
		this.window.takeWaiting()
			.forEach((publish) -> publish.future()
				.completeExceptionally(new MqttPublishException("MQTT client '" + name() + "' stopped", null)));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// ---- connection state ----

	private void connectOnce() {
		if (!this.running || this.connected) {
			return;
		}
		client().connect(new PahoClient.ConnectListener() {
			@Override
			public void connected(String url, boolean sessionPresent) {
				onConnected(url, sessionPresent);
			}

			@Override
			public void failed(Throwable cause) {
				logger.warn("MQTT client '{}' could not connect to {}: {}", name(), PahoConnection.this.urls,
						describe(cause));
				PahoConnection.this.lastDisconnect = new Disconnect(cause, Instant.now());
				PahoConnection.this.events.accept(new MqttClientEvent.ConnectionLost(name(), cause));
				retry();
			}
		});
	}

	private void onConnected(String url, boolean sessionPresent) {
		this.dispatcher.connected();
		this.connected = true;
		this.currentUrl = url;
		this.reconnect.connected();
		logger.info("MQTT client '{}' connected to {} (session present: {})", name(), url, sessionPresent);
		boolean reconnected = this.everConnected;
		this.everConnected = true;
		this.observers.forEach((observer) -> observer.connected(this, reconnected));
		this.events.accept(new MqttClientEvent.Connected(name(), url, sessionPresent));
		this.subscriptions.connected();
		this.window.connected();
	}

	private void lost(Throwable cause) {
		this.connected = false;
		this.window.disconnected();
		this.subscriptions.disconnected();
		if (!this.running) {
			return;
		}
		logger.warn("MQTT client '{}' lost its connection to {}: {}", name(), this.currentUrl, describe(cause));
		this.lastDisconnect = new Disconnect(cause, Instant.now());
		this.observers.forEach((observer) -> observer.connectionLost(this));
		this.events.accept(new MqttClientEvent.ConnectionLost(name(), cause));
		retry();
	}

	private void retry() {
		ReconnectLoop.Scheduled next = this.reconnect.retry();
		if (next != null) {
			this.events.accept(new MqttClientEvent.ReconnectAttempt(name(), next.attempt(), next.delay()));
		}
	}

	private static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "no cause given";
		}
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == cause) ? cause.toString() : cause + " (" + root + ")";
	}

	// ---- publishing ----

	@Override
	public CompletableFuture<Void> publish(String topic, byte[] payload, PublishOptions options) {
		int qos = (options.qos() != null) ? options.qos() : this.settings.defaultQos();
		PendingPublish publish = new PendingPublish(topic, payload, qos, options);
		publish.future().whenComplete((result, failure) -> {
			Duration elapsed = Duration.ofNanos(System.nanoTime() - publish.startedNanos());
			this.observers.forEach((observer) -> observer.published(this, qos, elapsed, failure));
			if (failure == null) {
				this.events.accept(new MqttClientEvent.MessageDelivered(name(), topic, qos, elapsed));
			}
		});
		this.window.submit(publish);
		return publish.future();
	}

	private boolean send(PendingPublish publish) {
		PahoClient current = this.client;
		return current != null && current.publish(publish);
	}

	// ---- subscriptions ----

	@Override
	public MqttSubscription subscribe(String topicFilter, int qos, MessageHandler handler) {
		return this.subscriptions.add(topicFilter, qos, handler);
	}

	private void answered(String topicFilter, int grantedQosOrReason) {
		this.subscriptions.answered(topicFilter, grantedQosOrReason);
		if (grantedQosOrReason >= 0 && grantedQosOrReason <= 2) {
			this.events.accept(new MqttClientEvent.SubscriptionGranted(name(), topicFilter, grantedQosOrReason));
		}
		else {
			logger.warn("MQTT client '{}': the broker refused the subscription to '{}' (reason code 0x{})", name(),
					topicFilter, Integer.toHexString(grantedQosOrReason));
			this.events.accept(new MqttClientEvent.SubscriptionRefused(name(), topicFilter, grantedQosOrReason));
		}
	}

	private void received(ReceivedMessage message) {
		this.observers.forEach((observer) -> observer.received(this, message.qos()));
		this.dispatcher.dispatch(message);
	}

	// ---- accessors ----

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public @Nullable String url() {
		return this.currentUrl;
	}

	@Override
	public boolean targetsEmbeddedBroker() {
		return this.settings.embeddedBroker();
	}

	@Override
	public String clientId() {
		return this.settings.clientId();
	}

	@Override
	public MqttProtocolVersion protocolVersion() {
		return this.settings.protocolVersion();
	}

	@Override
	public int keepAliveSeconds() {
		return (int) this.settings.keepAlive().toSeconds();
	}

	@Override
	public Duration connectionTimeout() {
		return this.settings.connectionTimeout();
	}

	@Override
	public int defaultQos() {
		return this.settings.defaultQos();
	}

	@Override
	public int maxPayloadSize() {
		return this.settings.maxPayloadSize();
	}

	@Override
	public int inflight() {
		return this.window.inflight();
	}

	@Override
	public List<SubscriptionStatus> subscriptions() {
		return this.subscriptions.statuses();
	}

	@Override
	public synchronized Optional<TlsCertificate> presentedCertificate() {
		SslBundle bundle = this.settings.sslBundle().get();
		if (bundle != this.certificateBundle) {
			this.certificateBundle = bundle;
			try {
				this.presentedCertificate = (bundle != null) ? KeyMaterial.presented(bundle).orElse(null) : null;
			}
			catch (IllegalArgumentException ex) {
				logger.warn("MQTT client '{}': the key of its SSL bundle cannot be used: {}", name(), ex.getMessage());
				this.presentedCertificate = null;
			}
		}
		return Optional.ofNullable(this.presentedCertificate);
	}

	@Override
	public void addObserver(ConnectionObserver observer) {
		this.observers.add(observer);
	}

	@Override
	public boolean isConnected() {
		return this.connected;
	}

	@Override
	public Optional<Disconnect> lastDisconnect() {
		return Optional.ofNullable(this.lastDisconnect);
	}

	@Override
	public String toString() {
		return "MQTT client '" + name() + "' (" + clientId() + " at " + this.currentUrl + ")";
	}

}
