package dev.mqttboot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mqttboot.client.MqttConnection;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one client connection: UP when connected with every subscription granted; UNKNOWN while it has been down
 * for less than the grace period (reconnecting); DOWN when down for longer, or when the broker refused a subscription.
 */
public class ClientHealthIndicator extends AbstractHealthIndicator {

	private final MqttConnection connection;

	private final Duration gracePeriod;

	private final Instant created = Instant.now();

	/**
	 * Create the indicator.
	 * @param connection the connection
	 * @param gracePeriod how long a disconnected connection is not yet reported DOWN
	 */
	public ClientHealthIndicator(MqttConnection connection, Duration gracePeriod) {
		super("MQTT client health check failed");
		this.connection = connection;
		this.gracePeriod = gracePeriod;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("url", String.valueOf(this.connection.url()))
			.withDetail("clientId", this.connection.clientId())
			.withDetail("protocol", this.connection.protocolVersion().name())
			.withDetail("keepAlive", this.connection.keepAliveSeconds());
		this.connection.presentedCertificate().ifPresent((certificate) -> builder.withDetail("certificate", certificate.details()));
		this.connection.lastDisconnect().ifPresent((disconnect) -> {
			builder.withDetail("lastDisconnect", disconnect.at().toString());
			if (disconnect.cause() != null) {
				builder.withDetail("lastDisconnectCause", String.valueOf(disconnect.cause().getMessage()));
			}
		});
		if (this.connection.isConnected()) {
			List<String> refused = this.connection.subscriptions()
				.stream()
				.filter((subscription) -> subscription.grantedQos() != null && !subscription.granted())
				.map(MqttConnection.SubscriptionStatus::topicFilter)
				.toList();
			if (refused.isEmpty()) {
				builder.up();
			}
			else {
				builder.down().withDetail("refusedSubscriptions", refused);
			}
			return;
		}
		Instant since = this.connection.lastDisconnect().map(MqttConnection.Disconnect::at).orElse(this.created);
		boolean withinGrace = Duration.between(since, Instant.now()).compareTo(this.gracePeriod) < 0;
		builder.status(withinGrace ? Status.UNKNOWN : Status.DOWN).withDetail("state", "disconnected");
	}

}
