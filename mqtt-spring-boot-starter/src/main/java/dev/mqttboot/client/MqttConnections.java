package dev.mqttboot.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

import org.jspecify.annotations.Nullable;

/**
 * The application's client connections, by name. {@value #DEFAULT} is the one configured under
 * {@code mqtt.client.*}; others come from {@code mqtt.clients.<name>.*}. As a lifecycle bean it connects them after
 * the embedded broker has started, and disconnects them before it stops. It also opens dedicated connections on
 * request (a listener container's own connection), with a configured connection's settings; those are listed here too
 * (health, metrics and the {@code mqtt} endpoint see them), but started and stopped by whoever asked for them.
 */
public class MqttConnections implements SmartLifecycle {

	/** Lifecycle phase: after the embedded broker, before listeners and the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private volatile boolean running;

	/** Name of the default connection. */
	public static final String DEFAULT = "default";

	private final Map<String, MqttConnection> configured;

	/** The configured connections' names, default first. */
	private final List<String> order;

	private final Map<String, MqttConnection> dedicated = new ConcurrentHashMap<>();

	private final @Nullable BiFunction<String, String, MqttConnection> dedicatedFactory;

	private final List<Consumer<MqttConnection>> additionListeners = new CopyOnWriteArrayList<>();

	/**
	 * Create the registry of fixed connections, with no dedicated ones.
	 * @param connections the connections, by name
	 */
	public MqttConnections(Map<String, ? extends MqttConnection> connections) {
		this(connections, null);
	}

	/**
	 * Create the registry.
	 * @param connections the configured connections, by name
	 * @param dedicatedFactory creates a dedicated connection from a configured connection's name and its owner (from
	 * which its name and client id are derived, see {@link MqttConnectionSettings#derive}), or {@code null} when none
	 * can be made
	 */
	public MqttConnections(Map<String, ? extends MqttConnection> connections,
			@Nullable BiFunction<String, String, MqttConnection> dedicatedFactory) {
		this.configured = Map.copyOf(connections);
		this.order = List.copyOf(connections.keySet());
		this.dedicatedFactory = dedicatedFactory;
	}

	/**
	 * Whether {@link #dedicated} can open connections.
	 * @return {@code true} when a factory was given
	 */
	public boolean supportsDedicated() {
		return this.dedicatedFactory != null;
	}

	/**
	 * A connection of its own with the settings of a configured one: its client id is that connection's followed by
	 * a dash and {@code owner}. Not started.
	 * @param base the configured connection's name
	 * @param owner who the connection is for (e.g. a listener id); unique per base
	 * @return the new connection (the auto-configuration names it {@code base:owner})
	 * @throws IllegalArgumentException if there is no such configured connection, or one for this owner already
	 * @throws IllegalStateException if this registry cannot open dedicated connections
	 */
	public MqttConnection dedicated(String base, String owner) {
		get(base);
		if (this.dedicatedFactory == null) {
			throw new IllegalStateException("These MQTT connections cannot open dedicated connections");
		}
		MqttConnection connection = this.dedicatedFactory.apply(base, owner);
		String name = connection.name();
		if (this.configured.containsKey(name) || this.dedicated.putIfAbsent(name, connection) != null) {
			throw new IllegalArgumentException("A dedicated MQTT connection '" + name + "' exists already");
		}
		this.additionListeners.forEach((listener) -> listener.accept(connection));
		return connection;
	}

	/**
	 * Be told of every connection: those already listed at once, dedicated ones as they are opened.
	 * @param listener called with each connection
	 */
	public void forEach(Consumer<MqttConnection> listener) {
		all().forEach(listener);
		this.additionListeners.add(listener);
	}

	/**
	 * The connection with the given name.
	 * @param name the connection name
	 * @return the connection
	 * @throws IllegalArgumentException if there is none, naming the configured ones
	 */
	public MqttConnection get(String name) {
		MqttConnection connection = this.configured.get(name);
		if (connection == null) {
			connection = this.dedicated.get(name);
		}
		if (connection == null) {
			throw new IllegalArgumentException("No MQTT client connection named '" + name + "'; configured: "
					+ this.order + " (mqtt.client.* is 'default', mqtt.clients.<name>.* the others)");
		}
		return connection;
	}

	/**
	 * All connections: the configured ones (default first), then the dedicated ones.
	 * @return the connections
	 */
	public Collection<MqttConnection> all() {
		List<MqttConnection> all = new java.util.ArrayList<>(this.order.size() + this.dedicated.size());
		this.order.forEach((name) -> all.add(this.configured.get(name)));
		this.dedicated.keySet().stream().sorted().forEach((name) -> all.add(this.dedicated.get(name)));
		return all;
	}

	@Override
	public void start() {
		this.order.stream().map(this.configured::get).forEach((connection) -> {
			if (connection instanceof Lifecycle lifecycle) {
				lifecycle.start();
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.order.stream().map(this.configured::get).forEach((connection) -> {
			if (connection instanceof Lifecycle lifecycle) {
				lifecycle.stop();
			}
		});
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
