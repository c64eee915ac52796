package dev.mqttboot.client;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The application's client connections, by name. {@value #DEFAULT} is the one configured under
 * {@code mqtt.client.*}; others come from {@code mqtt.clients.<name>.*}. As a lifecycle bean it connects them all
 * after the embedded broker has started, and disconnects them before it stops.
 */
public class MqttConnections implements SmartLifecycle {

	/** Lifecycle phase: after the embedded broker, before listeners and the web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private volatile boolean running;

	/** Name of the default connection. */
	public static final String DEFAULT = "default";

	private final Map<String, MqttConnection> connections;

	/**
	 * Create the registry.
	 * @param connections the connections, by name
	 */
	public MqttConnections(Map<String, ? extends MqttConnection> connections) {
		this.connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
	}

	/**
	 * The connection with the given name.
	 * @param name the connection name
	 * @return the connection
	 * @throws IllegalArgumentException if there is none, naming the configured ones
	 */
	public MqttConnection get(String name) {
		MqttConnection connection = this.connections.get(name);
		if (connection == null) {
			throw new IllegalArgumentException("No MQTT client connection named '" + name + "'; configured: "
					+ this.connections.keySet() + " (mqtt.client.* is 'default', mqtt.clients.<name>.* the others)");
		}
		return connection;
	}

	/**
	 * All connections.
	 * @return the connections, default first
	 */
	public Collection<MqttConnection> all() {
		return this.connections.values();
	}

	@Override
	public void start() {
		this.connections.values().forEach((connection) -> {
			if (connection instanceof Lifecycle lifecycle) {
				lifecycle.start();
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.connections.values().forEach((connection) -> {
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
