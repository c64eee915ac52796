package dev.mqttboot.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.client.MqttConnections;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the {@link MqttListenerContainer}s, one per {@link MqttListenerEndpoint}, created by the
 * {@link MqttListenerContainerFactory}: starts those with auto-startup after the client connections, stops them all
 * together (in parallel, each letting its invocations in progress finish) before the connections go, and lets the
 * application list, stop, start, pause and resume them by id.
 */
public class MqttListenerEndpointRegistry implements SmartLifecycle {

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

	/** Receive and deliver again. @param id the endpoint id */
	public void start(String id) {
		getListenerContainer(id).start();
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
	public synchronized void start() {
		this.containers.values().stream().filter(MqttListenerContainer::isAutoStartup)
			.forEach(MqttListenerContainer::start);
		this.running = true;
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
