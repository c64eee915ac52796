package dev.mqttboot.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

import org.jspecify.annotations.Nullable;

/**
 * The {@code clients} part of the {@code mqtt} health contributor: a {@link ClientHealthIndicator} per connection,
 * listeners' dedicated connections included as they are opened.
 */
public class ClientsHealthContributor implements CompositeHealthContributor {

	private final MqttConnections connections;

	private final Duration gracePeriod;

	private final Map<MqttConnection, ClientHealthIndicator> indicators = new ConcurrentHashMap<>();

	/**
	 * Create the contributor.
	 * @param connections the connections
	 * @param gracePeriod how long a connection may be down before it counts as DOWN
	 */
	public ClientsHealthContributor(MqttConnections connections, Duration gracePeriod) {
		this.connections = connections;
		this.gracePeriod = gracePeriod;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		try {
			return indicator(this.connections.get(name));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public Stream<Entry> stream() {
		return this.connections.all()
			.stream()
			.map((connection) -> new Entry(connection.name(), indicator(connection)));
	}

	private ClientHealthIndicator indicator(MqttConnection connection) {
		return this.indicators.computeIfAbsent(connection,
				(key) -> new ClientHealthIndicator(key, this.gracePeriod));
	}

}
