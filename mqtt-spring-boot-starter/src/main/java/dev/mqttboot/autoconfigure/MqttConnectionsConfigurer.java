package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import dev.mqttboot.client.MqttConnectOptionsCustomizers;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.PahoConnections;

/**
 * Builds {@link MqttConnections} the way the auto-configuration does: one connection per configured name
 * ({@code default} from {@code mqtt.client.*}, one per {@code mqtt.clients.<name>}), with the settings checked at
 * start-up, the {@link MqttConnectionDetails}, every connect-options customizer, and client events published to the
 * application context. An application that defines its own {@link MqttConnections}, or a second one, calls
 * {@link #createConnections()} or takes a configured connection's {@link #settings(String) settings} to build from.
 */
public final class MqttConnectionsConfigurer {

	private final Map<String, MqttConnectionSettings> settings;

	/** The names in their configured order, {@code default} first. */
	private final List<String> order;

	private final Consumer<Object> events;

	private final List<MqttConnectOptionsCustomizers.V3> v3Customizers;

	private final List<MqttConnectOptionsCustomizers.V5> v5Customizers;

	MqttConnectionsConfigurer(Map<String, MqttConnectionSettings> settings, Consumer<Object> events,
			List<MqttConnectOptionsCustomizers.V3> v3Customizers,
			List<MqttConnectOptionsCustomizers.V5> v5Customizers) {
		this.settings = Map.copyOf(settings);
		this.events = events;
		this.v3Customizers = List.copyOf(v3Customizers);
		this.v5Customizers = List.copyOf(v5Customizers);
		this.order = List.copyOf(settings.keySet());
	}

	/**
	 * @return the configured connections' names, {@code default} first
	 */
	public Set<String> names() {
		return new LinkedHashSet<>(this.order);
	}

	/**
	 * @param name a configured connection's name
	 * @return the settings that connection runs with
	 * @throws IllegalArgumentException when no connection has that name
	 */
	public MqttConnectionSettings settings(String name) {
		MqttConnectionSettings found = this.settings.get(name);
		if (found == null) {
			throw new IllegalArgumentException("No MQTT client connection named '" + name + "' (known: " + this.order
					+ ")");
		}
		return found;
	}

	/**
	 * @param settings a connection's settings, configured or derived from them
	 * @return a new, unconnected connection on Eclipse Paho with the configured customizers and events
	 */
	public MqttConnection createConnection(MqttConnectionSettings settings) {
		return PahoConnections.create(settings, this.events, this.v3Customizers, this.v5Customizers);
	}

	/**
	 * @return new, unconnected connections, one per configured name; dedicated connections (a listener container's
	 * own) are derived from the configured one they name
	 */
	public MqttConnections createConnections() {
		Map<String, MqttConnection> connections = new LinkedHashMap<>();
		for (String name : this.order) {
			connections.put(name, createConnection(Objects.requireNonNull(this.settings.get(name))));
		}
		return new MqttConnections(connections,
				(base, owner) -> createConnection(settings(base).derive(base + ":" + owner, owner)));
	}

}
