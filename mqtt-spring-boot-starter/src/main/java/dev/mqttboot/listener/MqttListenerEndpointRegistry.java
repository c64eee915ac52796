package dev.mqttboot.listener;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;

import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the {@link MqttListenerEndpoint}s: starts those with auto-startup after the client connections, stops them
 * before, and lets the application list, stop, start, pause and resume them by id.
 */
public class MqttListenerEndpointRegistry implements SmartLifecycle {

	/** Lifecycle phase: just after the client connections. */
	public static final int PHASE = MqttConnections.PHASE + 100;

	private final Map<String, MqttListenerEndpoint> endpoints = new LinkedHashMap<>();

	private final MqttConnections connections;

	private final MqttOperations operations;

	private final String deadLetterTopic;

	private final int queueCapacity;

	private final AckMode ackMode;

	private final List<ListenerObserver> observers = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * Create the registry.
	 * @param connections the client connections the endpoints subscribe on
	 * @param operations publishes replies and dead letters
	 * @param deadLetterTopic prefix of the topic failed messages are published to, or {@code null} for none
	 * @param queueCapacity how many messages wait per endpoint before the connection is slowed down
	 * @param ackMode when QoS 1 and 2 messages are acknowledged to the broker
	 */
	public MqttListenerEndpointRegistry(MqttConnections connections, MqttOperations operations, String deadLetterTopic,
			int queueCapacity, AckMode ackMode) {
		this.ackMode = ackMode;
		this.connections = connections;
		this.operations = operations;
		this.deadLetterTopic = deadLetterTopic;
		this.queueCapacity = queueCapacity;
	}

	synchronized void register(MqttListenerEndpoint endpoint) {
		if (this.endpoints.containsKey(endpoint.id())) {
			throw new IllegalStateException("Two @MqttListener endpoints have the id '" + endpoint.id() + "'");
		}
		MqttConnection connection;
		try {
			connection = this.connections.get(endpoint.client());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid @MqttListener '" + endpoint.id() + "': " + ex.getMessage(), ex);
		}
		if (!endpoint.group().isEmpty() && connection.targetsEmbeddedBroker()) {
			throw new IllegalStateException("Invalid @MqttListener '" + endpoint.id() + "': group '" + endpoint.group()
					+ "' needs shared subscriptions ($share/...), which the embedded broker (Moquette, MQTT 3.1.1) "
					+ "does not support; connect client '" + endpoint.client() + "' to a broker that does "
					+ "(mqtt.client.url), or remove the group");
		}
		endpoint.bind(connection, this.operations.forClient(endpoint.client()), this.deadLetterTopic,
				this.queueCapacity, this.ackMode, this.observers);
		this.endpoints.put(endpoint.id(), endpoint);
		if (this.running && endpoint.isAutoStartup()) {
			endpoint.start();
		}
	}

	/**
	 * Register an observer of every endpoint's invocations.
	 * @param observer the observer
	 */
	public void addObserver(ListenerObserver observer) {
		this.observers.add(observer);
	}

	/**
	 * All endpoints.
	 * @return the endpoints, in registration order
	 */
	public synchronized Collection<MqttListenerEndpoint> getListenerEndpoints() {
		return Collections.unmodifiableCollection(new java.util.ArrayList<>(this.endpoints.values()));
	}

	/**
	 * One endpoint.
	 * @param id the endpoint id
	 * @return the endpoint
	 * @throws IllegalArgumentException when there is none
	 */
	public synchronized MqttListenerEndpoint getListenerEndpoint(String id) {
		MqttListenerEndpoint endpoint = this.endpoints.get(id);
		if (endpoint == null) {
			throw new IllegalArgumentException("No @MqttListener with id '" + id + "'; known: " + this.endpoints.keySet());
		}
		return endpoint;
	}

	/** Subscribe and deliver again. @param id the endpoint id */
	public void start(String id) {
		getListenerEndpoint(id).start();
	}

	/** Unsubscribe. @param id the endpoint id */
	public void stop(String id) {
		getListenerEndpoint(id).stop();
	}

	/** Stop delivering, keeping the subscription: messages wait. @param id the endpoint id */
	public void pause(String id) {
		getListenerEndpoint(id).pause();
	}

	/** Deliver what waited, and what comes next. @param id the endpoint id */
	public void resume(String id) {
		getListenerEndpoint(id).resume();
	}

	@Override
	public synchronized void start() {
		this.endpoints.values().stream().filter(MqttListenerEndpoint::isAutoStartup).forEach(MqttListenerEndpoint::start);
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.endpoints.values().forEach(MqttListenerEndpoint::stop);
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
