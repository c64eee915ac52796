package dev.mqttboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.core.MqttProtocolVersion;
import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.core.TopicSyntax;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import org.jspecify.annotations.Nullable;

/**
 * Turns a connection's {@link ClientProperties} into {@link MqttConnectionSettings}. Where it connects and as whom
 * comes from {@link MqttConnectionDetails}. Invalid values fail with a {@link ClientStartException} naming the
 * property and what it accepts.
 */
final class ClientSettingsFactory {

	private final MqttConnectionDetails details;

	private final String applicationName;

	ClientSettingsFactory(MqttConnectionDetails details, @Nullable String applicationName) {
		this.details = details;
		this.applicationName = StringUtils.hasText(applicationName) ? applicationName : "mqtt";
	}

	MqttConnectionSettings create(ClientProperties connection) {
		MqttProperties.Client c = connection.client();
		String name = connection.name();
		MqttConnectionDetails target = this.details.forConnection(name);
		boolean embedded = target instanceof PropertiesMqttConnectionDetails.Connection details
				&& details.embeddedBroker();
		MqttProtocolVersion protocol = c.getProtocolVersion();
		if (protocol == null) {
			throw connection.invalid("protocol-version", "is empty", "3.1.1 or 5");
		}
		if (protocol == MqttProtocolVersion.V5
				&& !ClassUtils.isPresent("org.eclipse.paho.mqttv5.client.MqttAsyncClient", null)) {
			throw connection.invalid("protocol-version", "5 needs Eclipse Paho v5 on the classpath",
					"3.1.1, or add org.eclipse.paho:org.eclipse.paho.mqttv5.client");
		}
		Duration keepAlive = c.getKeepAlive();
		if (keepAlive == null || keepAlive.isNegative() || keepAlive.toSeconds() > 65535) {
			throw connection.invalid("keep-alive", keepAlive + " is out of range",
					"a duration from 0s (none) to 65535s");
		}
		int defaultQos = qos(connection, "default-qos", c.getDefaultQos());
		if (c.getMaxInflight() < 1 || c.getMaxInflight() > 65535) {
			throw connection.invalid("max-inflight", c.getMaxInflight() + " is out of range", "1 to 65535");
		}
		if (c.getConnectionTimeout() == null || c.getConnectionTimeout().toSeconds() < 1) {
			throw connection.invalid("connection-timeout", c.getConnectionTimeout() + " is shorter than 1s",
					"a duration of at least 1s, such as 10s");
		}
		Duration initialDelay = c.getReconnect().getInitialDelay();
		Duration maxDelay = c.getReconnect().getMaxDelay();
		if (initialDelay == null || maxDelay == null || initialDelay.toMillis() < 1
				|| maxDelay.compareTo(initialDelay) < 0) {
			throw connection.invalid("reconnect.max-delay", "must be positive and at least reconnect.initial-delay",
					"durations such as initial-delay 1s and max-delay 30s");
		}
		if (c.getOfflineBuffer().getSize() < 0) {
			throw connection.invalid("offline-buffer.size", c.getOfflineBuffer().getSize() + " is negative",
					"0 (off) or more");
		}
		long maxPayload = (c.getMaxPayloadSize() != null) ? c.getMaxPayloadSize().toBytes() : -1;
		if (maxPayload < 0 || maxPayload > 268_435_455L) {
			throw connection.invalid("max-payload-size", c.getMaxPayloadSize() + " is out of range", "up to 256MB");
		}
		Duration sessionExpiry = c.getSessionExpiry();
		if (sessionExpiry != null && sessionExpiry.isNegative()) {
			throw connection.invalid("session-expiry", sessionExpiry + " is negative",
					"0s (the session ends with the connection) or longer");
		}
		String clientId = StringUtils.hasText(c.getClientId()) ? c.getClientId() : defaultClientId(name);
		return new MqttConnectionSettings(name, () -> address(target), target::getSslBundle, embedded, clientId,
				protocol, keepAlive, c.isCleanSession(), c.isCleanStart(),
				(sessionExpiry == null || sessionExpiry.isZero()) ? null : sessionExpiry, c.getConnectionTimeout(),
				c.getMaxInflight(), defaultQos, (int) maxPayload, will(connection), initialDelay, maxDelay,
				c.getOfflineBuffer().getSize());
	}

	private static MqttConnectionSettings.Address address(MqttConnectionDetails details) {
		return new MqttConnectionSettings.Address(details.getUrls(), details.getUsername(), details.getPassword(),
				details.getSslBundle());
	}

	private String defaultClientId(String name) {
		String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
		String base = name.equals(MqttConnections.DEFAULT) ? this.applicationName : this.applicationName + "-" + name;
		return base + "-" + suffix;
	}

	private static int qos(ClientProperties connection, String property, int qos) {
		if (qos < 0 || qos > 2) {
			throw connection.invalid(property, qos + " is not a QoS level", "0, 1 or 2");
		}
		return qos;
	}

	private static MqttConnectionSettings.@Nullable Will will(ClientProperties connection) {
		MqttProperties.Will will = connection.client().getWill();
		String topic = will.getTopic();
		if (topic == null) {
			return null;
		}
		String problem = TopicSyntax.checkName(topic, TopicLimits.PROTOCOL);
		if (problem != null) {
			throw connection.invalid("will.topic", "'" + topic + "': " + problem, "a topic name without wildcards");
		}
		String payload = (will.getPayload() != null) ? will.getPayload() : "";
		return new MqttConnectionSettings.Will(topic, payload.getBytes(StandardCharsets.UTF_8),
				qos(connection, "will.qos", will.getQos()), will.isRetained());
	}

}
