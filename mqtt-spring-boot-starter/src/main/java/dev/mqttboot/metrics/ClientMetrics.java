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

import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the client connections, tagged {@code client} with the configured connection name (never the
 * MQTT client id).
 */
public class ClientMetrics implements MeterBinder {

	private final MqttConnections connections;

	private final boolean histograms;

	/**
	 * Create the binder.
	 * @param connections the connections
	 * @param histograms whether the publish timer publishes a percentile histogram
	 */
	public ClientMetrics(MqttConnections connections, boolean histograms) {
		this.connections = connections;
		this.histograms = histograms;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Meters meters = new Meters(registry, this.histograms);
		// Listeners' dedicated connections are opened later: they are bound as they come.
		this.connections.forEach((connection) -> {
			meters.register(connection);
			connection.addObserver(meters);
		});
	}

	/** The meters of one registry, fed by the connections. */
	private static final class Meters implements ConnectionObserver {

		private final MeterRegistry registry;

		private final boolean histograms;

		/** By connection name, registered up front: nothing is looked up by building names per message. */
		private final Map<String, ConnectionMeters> byConnection = new ConcurrentHashMap<>();

		Meters(MeterRegistry registry, boolean histograms) {
			this.registry = registry;
			this.histograms = histograms;
		}

		void register(MqttConnection connection) {
			String client = connection.name();
			Gauge.builder("mqtt.client.connected", connection, (c) -> c.isConnected() ? 1 : 0)
				.description("Whether the client connection is up (1) or not (0)")
				.tag("client", client)
				.register(this.registry);
			Gauge.builder("mqtt.client.keepalive", connection, MqttConnection::keepAliveSeconds)
				.description("Keep-alive interval the connection uses")
				.baseUnit("seconds")
				.tag("client", client)
				.register(this.registry);
			Gauge.builder("mqtt.client.inflight", connection, MqttConnection::inflight)
				.description("Publishes awaiting the broker's acknowledgement")
				.tag("client", client)
				.register(this.registry);
			if (connection.presentedCertificate().isPresent()) {
				Gauge.builder("mqtt.client.tls.certificate.expiry", connection,
						(c) -> Certificates.secondsLeft(c.presentedCertificate()))
					.description("Time until the certificate the connection presents to the broker (mutual TLS) expires")
					.baseUnit("seconds")
					.tag("client", client)
					.register(this.registry);
			}
			meters(client);
		}

		private ConnectionMeters meters(String client) {
			return this.byConnection.computeIfAbsent(client,
					(name) -> new ConnectionMeters(this.registry, name, this.histograms));
		}

		@Override
		public void published(MqttConnection connection, int qos, Duration elapsed, @Nullable Throwable failure) {
			ConnectionMeters meters = meters(connection.name());
			if (failure == null) {
				meters.publishedSuccess[qos].increment();
				meters.publishDuration[qos].record(elapsed);
			}
			else {
				meters.publishedFailure[qos].increment();
				meters.failureDuration(qos, failure).record(elapsed);
			}
		}

		@Override
		public void received(MqttConnection connection, int qos) {
			meters(connection.name()).received[qos].increment();
		}

		@Override
		public void connected(MqttConnection connection, boolean reconnect) {
			if (reconnect) {
				meters(connection.name()).reconnects.increment();
			}
		}

		@Override
		public void connectionLost(MqttConnection connection) {
			meters(connection.name()).connectionLost.increment();
		}

	}

	/** The counters and timers of one connection, indexed by QoS. */
	private static final class ConnectionMeters {

		final Counter connectionLost;

		final Counter reconnects;

		final Counter[] publishedSuccess = new Counter[3];

		final Counter[] publishedFailure = new Counter[3];

		final Counter[] received = new Counter[3];

		final Timer[] publishDuration = new Timer[3];

		private final MeterRegistry registry;

		private final String client;

		private final boolean histograms;

		/** Failure timers by QoS and exception tag, made on first use. */
		private final Map<String, Timer> failureDurations = new ConcurrentHashMap<>();

		ConnectionMeters(MeterRegistry registry, String client, boolean histograms) {
			this.registry = registry;
			this.client = client;
			this.histograms = histograms;
			this.connectionLost = Counter.builder("mqtt.client.connection.lost")
				.description("Times the connection went down")
				.tag("client", client)
				.register(registry);
			this.reconnects = Counter.builder("mqtt.client.reconnects")
				.description("Successful reconnects")
				.tag("client", client)
				.register(registry);
			for (int qos = 0; qos <= 2; qos++) {
				this.publishedSuccess[qos] = published(registry, client, qos, "success");
				this.publishedFailure[qos] = published(registry, client, qos, "failure");
				this.received[qos] = Counter.builder("mqtt.client.messages.received")
					.description("Messages received, by QoS")
					.tags("client", client, "qos", String.valueOf(qos))
					.register(registry);
				this.publishDuration[qos] = duration(qos, "success", ExceptionTag.NONE);
			}
		}

		Timer failureDuration(int qos, @Nullable Throwable failure) {
			String exception = ExceptionTag.of(failure);
			return this.failureDurations.computeIfAbsent(qos + "/" + exception,
					(key) -> duration(qos, "failure", exception));
		}

		private Timer duration(int qos, String outcome, String exception) {
			return Timer.builder("mqtt.client.publish.duration")
				.description("From publish to the broker's acknowledgement (QoS 0: written; 1: PUBACK; 2: PUBCOMP) or "
						+ "to the failure")
				.tags("client", this.client, "qos", String.valueOf(qos), "outcome", outcome, "exception", exception)
				.publishPercentileHistogram(this.histograms)
				.register(this.registry);
		}

		private static Counter published(MeterRegistry registry, String client, int qos, String outcome) {
			return Counter.builder("mqtt.client.messages.published")
				.description("Publishes by QoS and outcome (success = acknowledged by the broker)")
				.tags("client", client, "qos", String.valueOf(qos), "outcome", outcome)
				.register(registry);
		}

	}

}
