package dev.mqttboot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mqttboot.client.ConnectionObserver;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for the client connections, tagged {@code client} with the configured connection name (never the
 * MQTT client id).
 */
public class ClientMetrics implements MeterBinder {

	private final MqttConnections connections;

	/**
	 * Create the binder.
	 * @param connections the connections
	 */
	public ClientMetrics(MqttConnections connections) {
		this.connections = connections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Meters meters = new Meters(registry);
		for (MqttConnection connection : this.connections.all()) {
			meters.register(connection);
			connection.addObserver(meters);
		}
	}

	/** The meters of one registry, fed by the connections. */
	private static final class Meters implements ConnectionObserver {

		private final MeterRegistry registry;

		private final Map<String, Counter> counters = new ConcurrentHashMap<>();

		private final Map<String, Timer> timers = new ConcurrentHashMap<>();

		Meters(MeterRegistry registry) {
			this.registry = registry;
		}

		void register(MqttConnection connection) {
			MeterRegistry registry = this.registry;
			String client = connection.name();
			Gauge.builder("mqtt.client.connected", connection, (c) -> c.isConnected() ? 1 : 0)
				.description("Whether the client connection is up (1) or not (0)")
				.tag("client", client)
				.register(registry);
			Gauge.builder("mqtt.client.keepalive", connection, MqttConnection::keepAliveSeconds)
				.description("Keep-alive interval the connection uses")
				.baseUnit("seconds")
				.tag("client", client)
				.register(registry);
			Gauge.builder("mqtt.client.inflight", connection, MqttConnection::inflight)
				.description("Publishes awaiting the broker's acknowledgement")
				.tag("client", client)
				.register(registry);
			counter("mqtt.client.connection.lost", "Times the connection went down", client);
			counter("mqtt.client.reconnects", "Successful reconnects", client);
			for (int qos = 0; qos <= 2; qos++) {
				for (String outcome : new String[] { "success", "failure" }) {
					published(client, qos, outcome);
				}
				received(client, qos);
				timer(client, qos);
			}
		}

		private Counter counter(String name, String description, String client) {
			return this.counters.computeIfAbsent(name + "|" + client, (key) -> Counter.builder(name)
				.description(description)
				.tag("client", client)
				.register(this.registry));
		}

		private Counter published(String client, int qos, String outcome) {
			return this.counters.computeIfAbsent("published|" + client + "|" + qos + "|" + outcome,
					(key) -> Counter.builder("mqtt.client.messages.published")
						.description("Publishes by QoS and outcome (success = acknowledged by the broker)")
						.tags("client", client, "qos", String.valueOf(qos), "outcome", outcome)
						.register(this.registry));
		}

		private Counter received(String client, int qos) {
			return this.counters.computeIfAbsent("received|" + client + "|" + qos,
					(key) -> Counter.builder("mqtt.client.messages.received")
						.description("Messages received, by QoS")
						.tags("client", client, "qos", String.valueOf(qos))
						.register(this.registry));
		}

		private Timer timer(String client, int qos) {
			return this.timers.computeIfAbsent(client + "|" + qos, (key) -> Timer.builder("mqtt.client.publish.duration")
				.description("From publish to the broker's acknowledgement (QoS 0: written; 1: PUBACK; 2: PUBCOMP)")
				.tags("client", client, "qos", String.valueOf(qos))
				.register(this.registry));
		}

		@Override
		public void published(MqttConnection connection, int qos, Duration elapsed, boolean success) {
			published(connection.name(), qos, success ? "success" : "failure").increment();
			if (success) {
				timer(connection.name(), qos).record(elapsed);
			}
		}

		@Override
		public void received(MqttConnection connection, int qos) {
			received(connection.name(), qos).increment();
		}

		@Override
		public void connected(MqttConnection connection, boolean reconnect) {
			if (reconnect) {
				counter("mqtt.client.reconnects", "Successful reconnects", connection.name()).increment();
			}
		}

		@Override
		public void connectionLost(MqttConnection connection) {
			counter("mqtt.client.connection.lost", "Times the connection went down", connection.name()).increment();
		}

	}

}
