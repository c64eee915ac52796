package dev.mqttboot.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.client.MqttConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the {@link MqttListenerContainer}s, one per {@link MqttListenerEndpoint}, created by the
 * {@link MqttListenerContainerFactory}: starts those with auto-startup after the client connections, stops them all
 * together (in parallel, each letting its invocations in progress finish) before the connections go, and lets the
 * application list, stop, start, pause and resume them by id.
 * <p>
 * Its start returns once the broker has granted every auto-started listener's subscriptions (waiting for all of them
 * together, each at most its connection's {@code connection-timeout}), so a message published after the context has
 * started reaches the listeners. When the broker does not answer in time (it is down), start-up goes on: the
 * connections keep reconnecting, the listeners subscribe when they are up, and the {@code mqtt} health lists the
 * listeners not subscribed yet.
 */
public class MqttListenerEndpointRegistry implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(MqttListenerEndpointRegistry.class);

	/** Lifecycle phase: just after the client connections. */
	public static final int PHASE = MqttConnections.PHASE + 100;

	private final Map<String, MqttListenerContainer> containers = new LinkedHashMap<>();

	private final MqttListenerContainerFactory factory;

	private final List<ListenerObserver> observers = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * Create the registry.
	 * @param factory creates a container for each endpoint; when it is a {@link DefaultMqttListenerContainerFactory},
	 * this registry's observers see its containers' invocations
	 */
	public MqttListenerEndpointRegistry(MqttListenerContainerFactory factory) {
		this.factory = factory;
		if (factory instanceof DefaultMqttListenerContainerFactory defaultFactory) {
			defaultFactory.addObserver((listenerId, elapsed, failure) -> this.observers
				.forEach((observer) -> observer.invoked(listenerId, elapsed, failure)));
		}
	}

	/**
	 * Register an observer of every container's invocations.
	 * @param observer the observer
	 */
	public void addObserver(ListenerObserver observer) {
		this.observers.add(observer);
	}

	/**
	 * Register an endpoint: its container is created now, and started now if the registry runs already.
	 * @param endpoint the endpoint
	 * @return its container
	 * @throws IllegalStateException when its id is taken, or the factory refuses it
	 */
	public synchronized MqttListenerContainer register(MqttListenerEndpoint endpoint) {
		if (this.containers.containsKey(endpoint.id())) {
			throw new IllegalStateException("Two @MqttListener endpoints have the id '" + endpoint.id() + "'");
		}
		MqttListenerContainer container = this.factory.createContainer(endpoint);
		this.containers.put(endpoint.id(), container);
		if (this.running && container.isAutoStartup()) {
			container.start();
		}
		return container;
	}

	/**
	 * All containers.
	 * @return the containers, in registration order
	 */
	public synchronized Collection<MqttListenerContainer> getListenerContainers() {
		return Collections.unmodifiableCollection(new ArrayList<>(this.containers.values()));
	}

	/**
	 * One container.
	 * @param id the endpoint id
	 * @return its container
	 * @throws IllegalArgumentException when there is none, naming the known ids
	 */
	public synchronized MqttListenerContainer getListenerContainer(String id) {
		MqttListenerContainer container = this.containers.get(id);
		if (container == null) {
			throw new IllegalArgumentException(
					"No @MqttListener with id '" + id + "'; known: " + this.containers.keySet());
		}
		return container;
	}

	/**
	 * Start a listener and wait until the broker has granted its subscriptions, at most its connection's timeout.
	 * @param id the endpoint id
	 * @return {@code true} when subscribed; {@code false} when the broker did not answer in time (the connection keeps
	 * trying, see the log) or refused a subscription
	 */
	public boolean start(String id) {
		MqttListenerContainer container = getListenerContainer(id);
		container.start();
		Map<String, String> notSubscribed = awaitSubscribed(List.of(container));
		notSubscribed.forEach((listener, reason) -> logger
			.warn("MQTT listener '{}' started but is not subscribed: {}", listener, reason));
		return notSubscribed.isEmpty();
	}

	/** Stop receiving; what was not processed stays unacknowledged. @param id the endpoint id */
	public void stop(String id) {
		getListenerContainer(id).stop();
	}

	/** Stop delivering, keeping the subscription: messages wait. @param id the endpoint id */
	public void pause(String id) {
		getListenerContainer(id).pause();
	}

	/** Deliver what waited, and what comes next. @param id the endpoint id */
	public void resume(String id) {
		getListenerContainer(id).resume();
	}

	@Override
	public void start() {
		List<MqttListenerContainer> started;
		synchronized (this) {
			started = this.containers.values().stream().filter(MqttListenerContainer::isAutoStartup).toList();
			started.forEach(MqttListenerContainer::start);
			this.running = true;
		}
		if (started.isEmpty()) {
			return;
		}
		Map<String, String> notSubscribed = awaitSubscribed(started);
		if (notSubscribed.isEmpty()) {
			logger.info("MQTT listeners subscribed: {}",
					started.stream().map((container) -> container.endpoint().id()).toList());
		}
		else {
			List<String> reasons = new ArrayList<>();
			notSubscribed.forEach((listener, reason) -> reasons.add(listener + ": " + reason));
			logger.warn("MQTT listeners not subscribed at start-up ({}); start-up goes on, they subscribe when their "
					+ "connection is up and the 'mqtt' health lists them until then", String.join("; ", reasons));
		}
	}

	/**
	 * Wait for the broker to grant the containers' subscriptions, for all of them together, each at most its
	 * connection's timeout. @return why each one that is not subscribed is not, by listener id
	 */
	private Map<String, String> awaitSubscribed(List<MqttListenerContainer> started) {
		long begin = System.nanoTime();
		Map<MqttListenerContainer, CompletableFuture<Void>> waits = new LinkedHashMap<>();
		started.forEach((container) -> waits.put(container, container.subscribed()));
		Map<String, String> notSubscribed = new LinkedHashMap<>();
		waits.forEach((container, wait) -> {
			long timeout = container.connection().connectionTimeout().toNanos();
			try {
				wait.get(Math.max(0, begin + timeout - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				wait.cancel(false);
				notSubscribed.put(container.endpoint().id(),
						"connection '" + container.connection().name() + "' "
								+ (container.connection().isConnected() ? "is up but the broker has not answered"
										: "is not connected")
								+ " after " + container.connection().connectionTimeout().toMillis() + " ms");
			}
			catch (ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				notSubscribed.put(container.endpoint().id(), String.valueOf(cause.getMessage()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				wait.cancel(false);
				notSubscribed.put(container.endpoint().id(), "interrupted while waiting");
			}
		});
		return notSubscribed;
	}

	@Override
	public void stop() {
		CountDownLatch done = new CountDownLatch(1);
		stop(done::countDown);
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		List<MqttListenerContainer> running;
		synchronized (this) {
			this.running = false;
			running = this.containers.values().stream().filter(MqttListenerContainer::isRunning).toList();
		}
		if (running.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger left = new AtomicInteger(running.size());
		for (MqttListenerContainer container : running) {
			container.stop(() -> {
				if (left.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
