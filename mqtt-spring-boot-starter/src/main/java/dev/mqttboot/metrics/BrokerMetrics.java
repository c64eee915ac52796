package dev.mqttboot.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

import dev.mqttboot.broker.BrokerCluster;
import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.BrokerEventListener;
import dev.mqttboot.broker.BrokerTraffic;
import dev.mqttboot.broker.MqttBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the embedded broker, all derived from its {@link BrokerEvent}s. Tags are low-cardinality
 * ({@code qos}, {@code outcome}, {@code reason}, {@code action}): never a client id or a topic.
 */
public class BrokerMetrics implements MeterBinder {

	/** Keep-alive buckets, in seconds. */
	private static final double[] KEEP_ALIVE_BUCKETS = { 0.5, 10, 30, 60, 120, 300, 600, 1800, 3600 };

	private final MqttBroker broker;

	private final @Nullable Duration keepAliveCeiling;

	/**
	 * Create the meters' binder.
	 * @param broker the broker to observe
	 * @param keepAliveCeiling the broker's keep-alive ceiling, or {@code null} when none is configured
	 */
	public BrokerMetrics(MqttBroker broker, @Nullable Duration keepAliveCeiling) {
		this.broker = broker;
		this.keepAliveCeiling = keepAliveCeiling;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.broker.addListener(new Meters(registry));
	}

	/** The meters of one registry, fed by broker events. */
	private final class Meters implements BrokerEventListener {

		private Counter connectsAccepted;

		private Counter connectsRejected;

		private Counter authFailures;

		private final Map<BrokerEvent.DisconnectReason, Counter> disconnects = new EnumMap<>(
				BrokerEvent.DisconnectReason.class);

		private final Counter[] messagesReceived = new Counter[3];

		private final Counter[] subscribes = new Counter[3];

		private Counter retained;

		private final Map<BrokerEvent.Action, Counter> denials = new EnumMap<>(BrokerEvent.Action.class);

		private Counter sessionLoopErrors;

		private Counter protocolViolations;

		private DistributionSummary keepAlive;

		Meters(MeterRegistry registry) {
			Gauge.builder("mqtt.broker.connections", BrokerMetrics.this.broker, (broker) -> broker.connectedClients().size())
				.description("Clients connected to the embedded broker now")
				.register(registry);
			Gauge.builder("mqtt.broker.subscriptions", BrokerMetrics.this.broker, MqttBroker::subscriptionCount)
				.description("Subscriptions the embedded broker holds now (connected clients' and persistent sessions')")
				.register(registry);
			if (BrokerMetrics.this.broker.servesTls()) {
				Gauge.builder("mqtt.broker.tls.certificate.expiry", BrokerMetrics.this.broker,
						(broker) -> Certificates.secondsLeft(broker.servedCertificate()))
					.description("Time until the certificate the broker's TLS listeners serve expires")
					.baseUnit("seconds")
					.register(registry);
			}
			this.connectsAccepted = connects(registry, "accepted");
			this.connectsRejected = connects(registry, "rejected");
			for (BrokerEvent.DisconnectReason reason : BrokerEvent.DisconnectReason.values()) {
				this.disconnects.put(reason, Counter.builder("mqtt.broker.disconnects")
					.description("Connections that ended, by reason: client (DISCONNECT), keepalive (silent for 1.5x "
							+ "the keep-alive or ceiling), server (closed by the broker), lost (any other drop)")
					.tag("reason", reason.name().toLowerCase(Locale.ROOT))
					.register(registry));
			}
			this.keepAlive = DistributionSummary.builder("mqtt.broker.keepalive")
				.description("Keep-alive interval each connecting client asked for")
				.baseUnit("seconds")
				// A few fixed buckets show the distribution without a series per value; the first, up to 0.5 s, counts
				// the clients that asked for no keep-alive at all.
				.serviceLevelObjectives(KEEP_ALIVE_BUCKETS)
				.register(registry);
			if (BrokerMetrics.this.keepAliveCeiling != null) {
				Gauge.builder("mqtt.broker.keepalive.ceiling", BrokerMetrics.this.keepAliveCeiling, Duration::toSeconds)
					.description("Broker-side keep-alive ceiling")
					.baseUnit("seconds")
					.register(registry);
			}
			for (int qos = 0; qos <= 2; qos++) {
				this.messagesReceived[qos] = Counter.builder("mqtt.broker.messages.received")
					.description("Messages published to the broker by clients, by QoS")
					.tag("qos", String.valueOf(qos))
					.register(registry);
				this.subscribes[qos] = Counter.builder("mqtt.broker.subscribes")
					.description("Subscriptions made, by QoS granted")
					.tag("qos", String.valueOf(qos))
					.register(registry);
			}
			this.retained = Counter.builder("mqtt.broker.publishes.retained")
				.description("PUBLISH packets received with the RETAIN flag (not the number of retained messages stored)")
				.register(registry);
			if (BrokerMetrics.this.broker.isClusterNode()) {
				cluster(registry);
			}
			BrokerTraffic traffic = BrokerMetrics.this.broker.traffic();
			for (int qos = 0; qos <= 2; qos++) {
				int level = qos;
				FunctionCounter.builder("mqtt.broker.messages.delivered", traffic, (counts) -> counts.delivered(level))
					.description("Messages written to subscribers, by the QoS they were delivered at (resends included)")
					.tag("qos", String.valueOf(qos))
					.register(registry);
			}
			for (BrokerTraffic.DropReason reason : BrokerTraffic.DropReason.values()) {
				FunctionCounter.builder("mqtt.broker.messages.dropped", traffic, (counts) -> counts.dropped(reason))
					.description("Messages not delivered to a subscriber, by reason: slow_subscriber (QoS 0 past a full "
							+ "outbound buffer), access_denied (withheld by a deny rule), queue_full (QoS 1/2 past a full "
							+ "session queue, max-queued-messages)")
					.tag("reason", reason.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
			FunctionCounter.builder("mqtt.broker.received", traffic, BrokerTraffic::bytesReceived)
				.description("Bytes read from clients")
				.baseUnit("bytes")
				.register(registry);
			FunctionCounter.builder("mqtt.broker.sent", traffic, BrokerTraffic::bytesSent)
				.description("Bytes written to clients")
				.baseUnit("bytes")
				.register(registry);
			this.authFailures = Counter.builder("mqtt.broker.auth.failures")
				.description("Connections refused for bad or missing credentials")
				.register(registry);
			for (BrokerEvent.Action action : BrokerEvent.Action.values()) {
				this.denials.put(action, Counter.builder("mqtt.broker.authz.denials")
					.description("Publishes and subscribes denied by the access rules")
					.tag("action", action.name().toLowerCase(Locale.ROOT))
					.register(registry));
			}
			this.sessionLoopErrors = Counter.builder("mqtt.broker.session.loop.errors")
				.description("Broker engine failures; each ends a session loop and calls for a restart")
				.register(registry);
			this.protocolViolations = Counter.builder("mqtt.broker.protocol.violations")
				.description("Connections closed for malformed or invalid packets")
				.register(registry);
		}

		private void cluster(MeterRegistry registry) {
			MqttBroker broker = BrokerMetrics.this.broker;
			Gauge.builder("mqtt.broker.artemis.cluster.members", broker,
					(b) -> b.cluster().map((cluster) -> cluster.members().size()).orElse(0))
				.description("Cluster nodes this node sees, itself included")
				.register(registry);
			Map<String, ToLongFunction<BrokerCluster>> directions = Map.of("sent", BrokerCluster::messagesSent,
					"received", BrokerCluster::messagesReceived);
			directions.forEach((direction, count) -> FunctionCounter
				.builder("mqtt.broker.artemis.cluster.messages", broker,
						(b) -> b.cluster().map(count::applyAsLong).orElse(0L))
				.description("Messages forwarded between cluster nodes: sent (to other nodes, as they acknowledged "
						+ "them) and received (from other nodes)")
				.tag("direction", direction)
				.register(registry));
		}

		private static Counter connects(MeterRegistry registry, String outcome) {
			return Counter.builder("mqtt.broker.connects")
				.description("CONNECT attempts, by outcome")
				.tag("outcome", outcome)
				.register(registry);
		}

		@Override
		public void onEvent(BrokerEvent event) {
			if (event instanceof BrokerEvent.ClientConnected connected) {
				this.connectsAccepted.increment();
				this.keepAlive.record(connected.client().requestedKeepAlive());
			}
			else if (event instanceof BrokerEvent.ConnectionRefused refused) {
				this.connectsRejected.increment();
				if (refused.reason() == BrokerEvent.RefusalReason.BAD_CREDENTIALS) {
					this.authFailures.increment();
				}
			}
			else if (event instanceof BrokerEvent.ClientDisconnected disconnected) {
				Objects.requireNonNull(this.disconnects.get(disconnected.reason())).increment();
			}
			else if (event instanceof BrokerEvent.MessagePublished published) {
				this.messagesReceived[published.qos()].increment();
				if (published.retained()) {
					this.retained.increment();
				}
			}
			else if (event instanceof BrokerEvent.Subscribed subscribed) {
				this.subscribes[Math.min(2, Math.max(0, subscribed.qos()))].increment();
			}
			else if (event instanceof BrokerEvent.AuthorizationDenied denied) {
				Objects.requireNonNull(this.denials.get(denied.action())).increment();
			}
			else if (event instanceof BrokerEvent.EngineFailure) {
				this.sessionLoopErrors.increment();
			}
			else if (event instanceof BrokerEvent.ProtocolViolation) {
				this.protocolViolations.increment();
			}
		}

	}

}
