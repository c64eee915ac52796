package dev.mqttboot.actuate;

import java.util.Map;

import dev.mqttboot.broker.MqttBroker;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the embedded broker: UP while its listeners are bound and its engine is sound; DOWN when it is not
 * running, or after an engine failure (a Moquette session loop died and its clients are no longer served), so an
 * orchestrator restarts it; OUT_OF_SERVICE on a passive HA backup of a cluster, which is sound but serves no client
 * until its primary is gone.
 */
public class BrokerHealthIndicator extends AbstractHealthIndicator {

	private final MqttBroker broker;

	/**
	 * Create the indicator.
	 * @param broker the broker to report on
	 */
	public BrokerHealthIndicator(MqttBroker broker) {
		super("MQTT broker health check failed");
		this.broker = broker;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		// An engine failure is reported even when it stopped the engine (Artemis stops itself on one).
		this.broker.engineFailure().ifPresent((failure) -> builder.down()
			.withDetail("reason", "engine failure: some clients are no longer served; restart the broker")
			.withDetail("error", failure.getClass().getName() + ": " + failure.getMessage()));
		if (!this.broker.isRunning()) {
			builder.down();
			if (this.broker.engineFailure().isEmpty()) {
				builder.withDetail("reason", "not running");
			}
			return;
		}
		builder.withDetail("ports", this.broker.ports().asMap())
			.withDetail("connections", this.broker.connectedClients().size());
		// Which certificate the TLS listeners serve: after a renewal, this shows whether the broker took it.
		this.broker.servedCertificate().ifPresent((certificate) -> builder.withDetail("tls", certificate.details()));
		// A node that sees no other is UP: it serves its own clients; the members seen tell an operator the rest.
		this.broker.cluster().ifPresent((cluster) -> builder.withDetail("cluster", Map.of("node", cluster.nodeName(),
				"role", cluster.role(), "active", cluster.active(), "membersSeen", cluster.members().size())));
		if (this.broker.engineFailure().isPresent()) {
			return;
		}
		// A passive HA backup is healthy but serves nobody until its primary is gone: out of service, so that a
		// readiness probe keeps clients away from it (a liveness group can rank OUT_OF_SERVICE below UP).
		boolean passive = this.broker.cluster().map((cluster) -> !cluster.active()).orElse(false);
		if (passive) {
			builder.outOfService().withDetail("reason", "passive HA backup: it serves clients once its primary is gone");
		}
		else {
			builder.up();
		}
	}

}
