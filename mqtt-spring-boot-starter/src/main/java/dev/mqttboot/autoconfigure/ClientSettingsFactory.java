package dev.mqttboot.autoconfigure;

import dev.mqttboot.core.TopicLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.mqttboot.core.TopicSyntax;
import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.core.MqttProtocolVersion;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@code mqtt.client.*} and {@code mqtt.clients.<name>.*} into {@link MqttConnectionSettings}: a named
 * connection takes every unset value from {@code mqtt.client}, then from the defaults. Where it connects and as whom
 * comes from {@link MqttConnectionDetails}. Invalid values fail with a {@link ClientStartException} naming the
 * property and what it accepts.
 */
final class ClientSettingsFactory {

	private final MqttProperties properties;

	private final MqttConnectionDetails details;

	private final String applicationName;

	ClientSettingsFactory(MqttProperties properties, MqttConnectionDetails details, String applicationName) {
		this.properties = properties;
		this.details = details;
		this.applicationName = StringUtils.hasText(applicationName) ? applicationName : "mqtt";
	}

	MqttConnectionSettings create(String name) {
		ClientPropertyResolver r = ClientPropertyResolver.of(name, this.properties);
		MqttConnectionDetails target = this.details.forConnection(name);
		boolean embedded = target instanceof PropertiesMqttConnectionDetails.Connection connection
				&& connection.embeddedBroker();
		if (!name.equals(MqttConnections.DEFAULT) && r.ownValue(MqttProperties.Client::getObservationEnabled) != null) {
			throw r.invalid("observation-enabled", "observation is switched for every connection's template at once",
					"nothing; set mqtt.client.observation-enabled instead");
		}
		MqttProtocolVersion protocol = r.get(MqttProperties.Client::getProtocolVersion, MqttProtocolVersion.V3_1_1);
		if (protocol == MqttProtocolVersion.V5
				&& !ClassUtils.isPresent("org.eclipse.paho.mqttv5.client.MqttAsyncClient", null)) {
			throw r.invalid("protocol-version", "5 needs Eclipse Paho v5 on the classpath",
					"3.1.1, or add org.eclipse.paho:org.eclipse.paho.mqttv5.client");
		}
		Duration keepAlive = r.get(MqttProperties.Client::getKeepAlive, Duration.ofSeconds(60));
		if (keepAlive.isNegative() || keepAlive.toSeconds() > 65535) {
			throw r.invalid("keep-alive", keepAlive + " is out of range", "a duration from 0s (none) to 65535s");
		}
		int defaultQos = qos(r, "default-qos", r.get(MqttProperties.Client::getDefaultQos, 1));
		int maxInflight = r.get(MqttProperties.Client::getMaxInflight, 100);
		if (maxInflight < 1 || maxInflight > 65535) {
			throw r.invalid("max-inflight", maxInflight + " is out of range", "1 to 65535");
		}
		Duration connectionTimeout = r.get(MqttProperties.Client::getConnectionTimeout, Duration.ofSeconds(10));
		Duration initialDelay = r.get((c) -> c.getReconnect().getInitialDelay(), Duration.ofSeconds(1));
		Duration maxDelay = r.get((c) -> c.getReconnect().getMaxDelay(), Duration.ofSeconds(30));
		if (initialDelay.toMillis() < 1 || maxDelay.compareTo(initialDelay) < 0) {
			throw r.invalid("reconnect.max-delay", "must be positive and at least reconnect.initial-delay",
					"durations such as initial-delay 1s and max-delay 30s");
		}
		int bufferSize = r.get((c) -> c.getOfflineBuffer().getSize(), 1000);
		if (bufferSize < 0) {
			throw r.invalid("offline-buffer.size", bufferSize + " is negative", "0 (off) or more");
		}
		long maxPayload = r.get(MqttProperties.Client::getMaxPayloadSize, DataSize.ofKilobytes(256)).toBytes();
		if (maxPayload < 0 || maxPayload > 268_435_455L) {
			throw r.invalid("max-payload-size", maxPayload + " bytes is out of range", "up to 256MB");
		}
		return new MqttConnectionSettings(name, () -> address(target), target::getSslBundle, embedded,
				r.get(MqttProperties.Client::getClientId, defaultClientId(name)), protocol, keepAlive, r.get(MqttProperties.Client::getCleanSession, true),
				r.get(MqttProperties.Client::getCleanStart, true), r.get(MqttProperties.Client::getSessionExpiry, null),
				connectionTimeout, maxInflight, defaultQos, (int) maxPayload, will(r), initialDelay, maxDelay,
				bufferSize);
	}

	private static MqttConnectionSettings.Address address(MqttConnectionDetails details) {
		return new MqttConnectionSettings.Address(details.getUrls(), details.getUsername(), details.getPassword(),
				details.getSslBundle());
	}

	private String defaultClientId(String name) {
		String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
		String base = name.equals("default") ? this.applicationName : this.applicationName + "-" + name;
		return base + "-" + suffix;
	}

	private static int qos(ClientPropertyResolver r, String property, int qos) {
		if (qos < 0 || qos > 2) {
			throw r.invalid(property, qos + " is not a QoS level", "0, 1 or 2");
		}
		return qos;
	}

	private static MqttConnectionSettings.Will will(ClientPropertyResolver r) {
		String topic = r.get((c) -> c.getWill().getTopic(), null);
		if (topic == null) {
			return null;
		}
		String problem = TopicSyntax.checkName(topic, TopicLimits.PROTOCOL);
		if (problem != null) {
			throw r.invalid("will.topic", "'" + topic + "': " + problem, "a topic name without wildcards");
		}
		String payload = r.get((c) -> c.getWill().getPayload(), "");
		return new MqttConnectionSettings.Will(topic, payload.getBytes(StandardCharsets.UTF_8),
				qos(r, "will.qos", r.get((c) -> c.getWill().getQos(), 1)),
				r.get((c) -> c.getWill().getRetained(), false));
	}

}
