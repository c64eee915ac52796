package dev.mqttboot.autoconfigure;

import dev.mqttboot.core.TopicLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.core.TopicSyntax;
import dev.mqttboot.client.ClientStartException;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.core.MqttProtocolVersion;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@code mqtt.client.*} and {@code mqtt.clients.<name>.*} into {@link MqttConnectionSettings}: a named
 * connection takes every unset value from {@code mqtt.client}, then from the defaults. Invalid values fail with a
 * {@link ClientStartException} naming the property and what it accepts.
 */
final class ClientSettingsFactory {


	private final MqttProperties.Client defaults;

	private final SslBundles sslBundles;

	private final String applicationName;

	ClientSettingsFactory(MqttProperties.Client defaults, SslBundles sslBundles, String applicationName) {
		this.defaults = defaults;
		this.sslBundles = sslBundles;
		this.applicationName = StringUtils.hasText(applicationName) ? applicationName : "mqtt";
	}

	MqttConnectionSettings create(String name, MqttProperties.Client own) {
		Resolver r = new Resolver(name, own, this.defaults);
		List<String> urls = r.get(MqttProperties.Client::getUrl, List.of());
		for (String url : urls) {
			if (!url.matches("^(tcp|ssl|ws|wss)://.+")) {
				throw r.invalid("url", "'" + url + "' is not a broker URL",
						"URLs starting with tcp://, ssl://, ws:// or wss://");
			}
		}
		String version = r.get(MqttProperties.Client::getProtocolVersion, "3.1.1");
		MqttProtocolVersion protocol = switch (version) {
			case "3.1.1" -> MqttProtocolVersion.V3_1_1;
			case "5" -> MqttProtocolVersion.V5;
			default -> throw r.invalid("protocol-version", "'" + version + "' is not supported", "3.1.1 or 5");
		};
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
		return new MqttConnectionSettings(name, urls, r.get(MqttProperties.Client::getClientId, defaultClientId(name)),
				r.get(MqttProperties.Client::getUsername, null), r.get(MqttProperties.Client::getPassword, null),
				protocol, keepAlive, r.get(MqttProperties.Client::getCleanSession, true),
				r.get(MqttProperties.Client::getCleanStart, true), r.get(MqttProperties.Client::getSessionExpiry, null),
				connectionTimeout, maxInflight, defaultQos, (int) maxPayload, will(r), sslBundle(r), initialDelay,
				maxDelay, bufferSize);
	}

	private String defaultClientId(String name) {
		String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
		String base = name.equals("default") ? this.applicationName : this.applicationName + "-" + name;
		return base + "-" + suffix;
	}

	private static int qos(Resolver r, String property, int qos) {
		if (qos < 0 || qos > 2) {
			throw r.invalid(property, qos + " is not a QoS level", "0, 1 or 2");
		}
		return qos;
	}

	private static MqttConnectionSettings.Will will(Resolver r) {
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

	private SslBundle sslBundle(Resolver r) {
		String name = r.get((c) -> c.getSsl().getBundle(), null);
		if (name == null) {
			return null;
		}
		try {
			if (this.sslBundles == null) {
				throw new NoSuchSslBundleException(name, "no SslBundles bean");
			}
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw r.invalid("ssl.bundle", "there is no SSL bundle named '" + name + "'",
					"a bundle defined under spring.ssl.bundle.jks, .pem or .pkcs12");
		}
	}

	/** Looks a value up on the named connection, then on mqtt.client, then takes the default. */
	private static final class Resolver {

		private final String name;

		private final MqttProperties.Client own;

		private final MqttProperties.Client defaults;

		Resolver(String name, MqttProperties.Client own, MqttProperties.Client defaults) {
			this.name = name;
			this.own = own;
			this.defaults = defaults;
		}

		<T> T get(Function<MqttProperties.Client, T> property, T fallback) {
			T value = property.apply(this.own);
			if (value == null && this.own != this.defaults) {
				value = property.apply(this.defaults);
			}
			if (value instanceof List<?> list && list.isEmpty() && this.own != this.defaults) {
				T inherited = property.apply(this.defaults);
				value = (inherited != null) ? inherited : value;
			}
			return (value != null) ? value : fallback;
		}

		ClientStartException invalid(String property, String problem, String accepted) {
			String prefix = this.name.equals("default") ? "mqtt.client." : "mqtt.clients." + this.name + ".";
			return new ClientStartException(prefix + property, "Invalid value for " + prefix + property + ": "
					+ problem, "Set " + prefix + property + " to " + accepted);
		}

	}

}
