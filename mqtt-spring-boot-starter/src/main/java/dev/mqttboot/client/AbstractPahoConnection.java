package dev.mqttboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.mqttboot.broker.TopicSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.Lifecycle;

/**
 * What both Paho versions share: connect and reconnect with backoff (also after a failed first connect), the bounded
 * offline buffer, restoring subscriptions after every connect, dispatching received messages to matching
 * subscriptions, and the lifecycle events. The protocol subclasses only talk to their Paho client.
 */
abstract class AbstractPahoConnection implements MqttConnection, Lifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AbstractPahoConnection.class);

	/** How long a stopping connection lets in-flight messages finish. */
	static final long QUIESCE_MILLIS = 500;

	/** How long a stopping connection waits for DISCONNECT to be written. */
	static final long DISCONNECT_MILLIS = 2000;

	protected final MqttConnectionSettings settings;

	private final Consumer<Object> events;

	private final ReconnectBackoff backoff;

	private final ScheduledExecutorService scheduler;

	/**
	 * Publishes waiting for the connection or for a free in-flight slot, oldest first; bounded by the offline-buffer
	 * size. Guards {@link #slotsInUse}.
	 */
	private final Deque<PendingPublish> waiting = new ArrayDeque<>();

	/** Publishes handed to the client and not yet completed; at most {@code max-inflight}. */
	private int slotsInUse;

	private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	/** What the broker answered to each filter subscribed on the current connection. */
	private final Map<String, Integer> granted = new ConcurrentHashMap<>();

	/**
	 * The filters subscribed on the broker on the current connection, with their QoS (see
	 * {@link CoveringSubscriptions}); guarded by {@link #subscriptions}.
	 */
	private Map<String, Integer> subscribed = Map.of();

	private final List<ConnectionObserver> observers = new CopyOnWriteArrayList<>();

	private volatile boolean everConnected;

	private volatile boolean running;

	private volatile boolean connected;

	private volatile Disconnect lastDisconnect;

	/** Counts successful connects; an acknowledgement belongs to the connection its message came on. */
	private volatile int generation;

	private final Supplier<String> embeddedBrokerUrl;

	private volatile List<String> urls;

	private volatile String currentUrl;

	private int attempt;

	/**
	 * @param settings the settings; no URLs means the embedded broker
	 * @param embeddedBrokerUrl the embedded broker's URL, asked for at start (its port may be random), or
	 * {@code null} when there is none
	 * @param events publishes application events
	 */
	AbstractPahoConnection(MqttConnectionSettings settings, Supplier<String> embeddedBrokerUrl,
			Consumer<Object> events) {
		this.settings = settings;
		this.embeddedBrokerUrl = embeddedBrokerUrl;
		this.events = events;
		this.backoff = new ReconnectBackoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "mqtt-" + settings.name() + "-connect");
			thread.setDaemon(true);
			return thread;
		});
		this.urls = settings.urls();
		this.currentUrl = this.urls.isEmpty() ? null : this.urls.get(0);
	}

	// ---- protocol-specific operations ----

	/** Create the client (not connected) for these URLs and register this connection for its callbacks. */
	abstract void createClient(List<String> urls);

	/** Start one connect attempt; report through {@link #connectSucceeded} or {@link #connectFailed}. */
	abstract void connectAsync();

	/**
	 * Hand a publish to the client, which completes its future on acknowledgement (or fails it). Must not throw.
	 * @return {@code false} when the client did not take it for now (not connected, or its own in-flight limit
	 * reached, e.g. a lower MQTT 5 receive maximum): it then waits first in line for the next free slot or connect
	 */
	abstract boolean send(PendingPublish publish);

	/** Subscribe; report the granted QoS or the refusal. */
	abstract void sendSubscribe(String topicFilter, int qos);

	abstract void sendUnsubscribe(String topicFilter);

	/** Disconnect cleanly (or forcibly after a short wait) and release the client. */
	abstract void closeClient();

	// ---- lifecycle ----

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		if (this.settings.urls().isEmpty()) {
			if (this.embeddedBrokerUrl == null) {
				throw new IllegalStateException("MQTT client '" + name() + "' has no URL (mqtt.client.url) and "
						+ "there is no embedded broker to connect to");
			}
			this.urls = List.of(this.embeddedBrokerUrl.get());
			this.currentUrl = this.urls.get(0);
		}
		this.running = true;
		createClient(this.urls);
		logger.info("MQTT client '{}' connecting to {} as '{}' ({})", name(), this.urls, clientId(),
				protocolVersion());
		this.scheduler.execute(this::connectAsync);
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.scheduler.shutdownNow();
		closeClient();
		this.connected = false;
		this.lastDisconnect = new Disconnect(null, Instant.now());
		List<PendingPublish> unsent;
		synchronized (this.waiting) {
			unsent = List.copyOf(this.waiting);
			this.waiting.clear();
		}
		unsent.forEach((publish) -> publish.future()
			.completeExceptionally(new MqttPublishException("MQTT client '" + name() + "' stopped", null)));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// ---- connection state ----

	void connectSucceeded(String url, boolean sessionPresent) {
		this.generation++;
		this.connected = true;
		this.currentUrl = url;
		synchronized (this) {
			this.attempt = 0;
		}
		logger.info("MQTT client '{}' connected to {} (session present: {})", name(), url, sessionPresent);
		boolean reconnect = this.everConnected;
		this.everConnected = true;
		this.granted.clear();
		this.observers.forEach((observer) -> observer.connected(this, reconnect));
		this.events.accept(new MqttClientEvent.Connected(name(), url, sessionPresent));
		synchronized (this.subscriptions) {
			// Whatever the session flags say: subscribe to everything again.
			this.subscribed = Map.of();
			syncSubscriptions();
		}
		drainWaiting();
	}

	void connectFailed(Throwable cause) {
		logger.warn("MQTT client '{}' could not connect to {}: {}", name(), this.urls, describe(cause));
		this.lastDisconnect = new Disconnect(cause, Instant.now());
		this.events.accept(new MqttClientEvent.ConnectionLost(name(), cause));
		scheduleReconnect();
	}

	void connectionLost(Throwable cause) {
		this.connected = false;
		if (!this.running) {
			return;
		}
		logger.warn("MQTT client '{}' lost its connection to {}: {}", name(), this.currentUrl, describe(cause));
		this.lastDisconnect = new Disconnect(cause, Instant.now());
		this.observers.forEach((observer) -> observer.connectionLost(this));
		this.events.accept(new MqttClientEvent.ConnectionLost(name(), cause));
		scheduleReconnect();
	}

	private void scheduleReconnect() {
		if (!this.running) {
			return;
		}
		int next;
		synchronized (this) {
			next = ++this.attempt;
		}
		Duration delay = this.backoff.delay(next);
		this.events.accept(new MqttClientEvent.ReconnectAttempt(name(), next, delay));
		try {
			this.scheduler.schedule(this::connectAsync, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// stopping
		}
	}

	private static String describe(Throwable cause) {
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
		PendingPublish publish = new PendingPublish(topic, payload, qos, options, new CompletableFuture<>(),
				System.nanoTime());
		publish.future().whenComplete((result, failure) -> {
			releaseSlot(publish);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - publish.startedNanos());
			this.observers.forEach((observer) -> observer.published(this, qos, elapsed, failure == null));
			if (failure == null) {
				this.events.accept(new MqttClientEvent.MessageDelivered(name(), topic, qos, elapsed));
			}
		});
		submit(publish);
		return publish.future();
	}

	/**
	 * Hand a new publish to the client when connected with a free in-flight slot and nothing waiting before it;
	 * otherwise queue it (bounded), or fail it at once when the queue is full or off. A burst beyond
	 * {@code max-inflight} thus waits for acknowledgements instead of failing.
	 */
	private void submit(PendingPublish publish) {
		String refusal = null;
		boolean sendNow = false;
		synchronized (this.waiting) {
			if (this.connected && this.waiting.isEmpty() && this.slotsInUse < this.settings.maxInflight()) {
				takeSlot(publish);
				sendNow = true;
			}
			else if (this.waiting.size() < this.settings.offlineBufferSize()) {
				this.waiting.add(publish);
			}
			else {
				refusal = refusal();
			}
		}
		if (refusal != null) {
			publish.future().completeExceptionally(new MqttPublishException(refusal, null));
		}
		else if (!sendNow || sendOrRequeue(publish)) {
			drainWaiting();
		}
	}

	private String refusal() {
		int size = this.settings.offlineBufferSize();
		if (!this.connected) {
			return "MQTT client '" + name() + "' is not connected and its offline buffer is "
					+ ((size <= 0) ? "off" : "full (" + size + " messages)") + " (mqtt.client.offline-buffer.size)";
		}
		return "MQTT client '" + name() + "' has " + this.settings.maxInflight()
				+ " publishes awaiting acknowledgement (max-inflight) and "
				+ ((size <= 0) ? "no buffer for more" : size + " more waiting")
				+ " (mqtt.client.offline-buffer.size): wait for the returned futures, or raise either limit";
	}

	/**
	 * Send a publish that holds a slot; when the client does not take it, it goes back to the head of the queue until
	 * a slot frees or the connection is back.
	 * @return whether the client took it
	 */
	private boolean sendOrRequeue(PendingPublish publish) {
		if (send(publish)) {
			return true;
		}
		synchronized (this.waiting) {
			freeSlot(publish);
			this.waiting.addFirst(publish);
		}
		return false;
	}

	private void drainWaiting() {
		while (true) {
			PendingPublish next;
			synchronized (this.waiting) {
				if (!this.connected || this.slotsInUse >= this.settings.maxInflight()) {
					return;
				}
				next = this.waiting.poll();
				if (next == null) {
					return;
				}
				takeSlot(next);
			}
			if (!sendOrRequeue(next)) {
				return;
			}
		}
	}

	private void releaseSlot(PendingPublish publish) {
		boolean freed;
		synchronized (this.waiting) {
			freed = freeSlot(publish);
		}
		if (freed) {
			drainWaiting();
		}
	}

	/** Guarded by {@link #waiting}. */
	private void takeSlot(PendingPublish publish) {
		publish.holdsSlot = true;
		this.slotsInUse++;
	}

	/** Guarded by {@link #waiting}. */
	private boolean freeSlot(PendingPublish publish) {
		if (!publish.holdsSlot) {
			return false;
		}
		publish.holdsSlot = false;
		this.slotsInUse--;
		return true;
	}

	// ---- subscriptions ----

	@Override
	public MqttSubscription subscribe(String topicFilter, int qos, MessageHandler handler) {
		Subscription subscription;
		synchronized (this.subscriptions) {
			subscription = this.subscriptions.computeIfAbsent(topicFilter, Subscription::new);
			subscription.add(handler, qos);
			syncSubscriptions();
		}
		return new MqttSubscription() {
			@Override
			public String topicFilter() {
				return topicFilter;
			}

			@Override
			public int qos() {
				return qos;
			}

			@Override
			public void cancel() {
				Map<String, Subscription> subscriptions = AbstractPahoConnection.this.subscriptions;
				synchronized (subscriptions) {
					if (subscription.remove(handler)) {
						subscriptions.remove(topicFilter, subscription);
					}
					syncSubscriptions();
				}
			}
		};
	}

	/**
	 * Bring the broker's subscriptions in line with the requested ones: subscribe what is new (or now wants a higher
	 * QoS), then unsubscribe what is no longer needed. Guarded by {@link #subscriptions}.
	 */
	private void syncSubscriptions() {
		if (!this.connected) {
			return;
		}
		Map<String, Integer> requested = new LinkedHashMap<>();
		for (Subscription subscription : this.subscriptions.values()) {
			requested.put(subscription.topicFilter(), subscription.qos());
		}
		Map<String, Integer> wanted = CoveringSubscriptions.plan(requested);
		Map<String, Integer> previous = this.subscribed;
		this.subscribed = wanted;
		wanted.forEach((filter, qos) -> {
			if (!qos.equals(previous.get(filter))) {
				sendSubscribe(filter, qos);
			}
		});
		previous.keySet().stream().filter((filter) -> !wanted.containsKey(filter)).forEach((filter) -> {
			this.granted.remove(filter);
			sendUnsubscribe(filter);
		});
	}

	void subscriptionResult(String topicFilter, int grantedQosOrReason) {
		this.granted.put(topicFilter, grantedQosOrReason);
		if (grantedQosOrReason >= 0 && grantedQosOrReason <= 2) {
			this.events.accept(new MqttClientEvent.SubscriptionGranted(name(), topicFilter, grantedQosOrReason));
		}
		else {
			logger.warn("MQTT client '{}': the broker refused the subscription to '{}' (reason code 0x{})", name(),
					topicFilter, Integer.toHexString(grantedQosOrReason));
			this.events.accept(new MqttClientEvent.SubscriptionRefused(name(), topicFilter, grantedQosOrReason));
		}
	}

	/**
	 * Hand a received message to every subscription whose filter matches its topic, and acknowledge it to the broker
	 * once every handler has acknowledged it (at once when none matches).
	 */
	void dispatch(ReceivedMessage message) {
		this.observers.forEach((observer) -> observer.received(this, message.qos()));
		// A handler subscribed under several matching filters gets the message once.
		Set<MessageHandler> targets = new LinkedHashSet<>();
		for (Subscription subscription : this.subscriptions.values()) {
			if (TopicSyntax.matches(withoutSharePrefix(subscription.topicFilter()), message.topic())) {
				targets.addAll(subscription.handlers());
			}
		}
		int receivedOn = this.generation;
		AtomicInteger pending = new AtomicInteger(targets.size());
		Runnable acknowledgement = () -> {
			// A message received on an earlier connection is not acknowledged on this one: its packet id may
			// already name another message. The broker redelivers it instead (at-least-once).
			if (pending.decrementAndGet() == 0 && receivedOn == this.generation) {
				acknowledge(message.messageId(), message.qos());
			}
		};
		if (targets.isEmpty()) {
			acknowledge(message.messageId(), message.qos());
			return;
		}
		for (MessageHandler handler : targets) {
			AtomicBoolean once = new AtomicBoolean();
			Runnable ackOnce = () -> {
				if (once.compareAndSet(false, true)) {
					acknowledgement.run();
				}
			};
			try {
				handler.handle(message, ackOnce);
			}
			catch (RuntimeException ex) {
				logger.error("MQTT client '{}': a handler failed on a message from '{}'", name(), message.topic(), ex);
				ackOnce.run();
			}
		}
	}

	/** Acknowledge a QoS 1 or 2 message to the broker (the client runs with manual acknowledgements). */
	abstract void acknowledge(int messageId, int qos);

	private static String withoutSharePrefix(String filter) {
		if (filter.startsWith("$share/")) {
			int slash = filter.indexOf('/', "$share/".length());
			return (slash > 0) ? filter.substring(slash + 1) : filter;
		}
		return filter;
	}

	// ---- accessors ----

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String url() {
		return this.currentUrl;
	}

	@Override
	public boolean targetsEmbeddedBroker() {
		return this.settings.urls().isEmpty() && this.embeddedBrokerUrl != null;
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
	public int defaultQos() {
		return this.settings.defaultQos();
	}

	@Override
	public int maxPayloadSize() {
		return this.settings.maxPayloadSize();
	}

	@Override
	public int inflight() {
		synchronized (this.waiting) {
			return this.slotsInUse;
		}
	}

	@Override
	public List<SubscriptionStatus> subscriptions() {
		synchronized (this.subscriptions) {
			Set<String> wire = this.subscribed.keySet();
			return this.subscriptions.values().stream().map((subscription) -> {
				String subscribedAs = CoveringSubscriptions.subscribedAs(subscription.topicFilter(), wire);
				return new SubscriptionStatus(subscription.topicFilter(), subscription.qos(),
						(subscribedAs != null) ? this.granted.get(subscribedAs) : null);
			}).toList();
		}
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

	/** A publish on its way. */
	static final class PendingPublish {

		private final String topic;

		private final byte[] payload;

		private final int qos;

		private final PublishOptions options;

		private final CompletableFuture<Void> future;

		private final long startedNanos;

		/** Whether it occupies an in-flight slot; guarded by the connection's waiting queue. */
		private boolean holdsSlot;

		PendingPublish(String topic, byte[] payload, int qos, PublishOptions options, CompletableFuture<Void> future,
				long startedNanos) {
			this.topic = topic;
			this.payload = payload;
			this.qos = qos;
			this.options = options;
			this.future = future;
			this.startedNanos = startedNanos;
		}

		String topic() {
			return this.topic;
		}

		byte[] payload() {
			return this.payload;
		}

		int qos() {
			return this.qos;
		}

		PublishOptions options() {
			return this.options;
		}

		CompletableFuture<Void> future() {
			return this.future;
		}

		long startedNanos() {
			return this.startedNanos;
		}

	}

	/** A requested filter and its handlers, each with the QoS it asked for. */
	private static final class Subscription {

		private final String topicFilter;

		private final Map<MessageHandler, Integer> qosByHandler = new ConcurrentHashMap<>();

		private final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();

		Subscription(String topicFilter) {
			this.topicFilter = topicFilter;
		}

		void add(MessageHandler handler, int qos) {
			if (this.qosByHandler.put(handler, qos) == null) {
				this.handlers.add(handler);
			}
		}

		/** @return whether no handler is left */
		boolean remove(MessageHandler handler) {
			this.qosByHandler.remove(handler);
			this.handlers.remove(handler);
			return this.handlers.isEmpty();
		}

		String topicFilter() {
			return this.topicFilter;
		}

		/** The highest QoS any handler asked for. */
		int qos() {
			return this.qosByHandler.values().stream().mapToInt(Integer::intValue).max().orElse(0);
		}

		List<MessageHandler> handlers() {
			return this.handlers;
		}

	}

}
