package dev.mqttboot.autoconfigure;

import java.util.List;

import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.MqttBroker;

import org.jspecify.annotations.Nullable;

/**
 * Where the embedded broker listens for plain MQTT, asked for when a connection starts (after the broker has bound its
 * ports, random ones included). A wildcard bind address becomes the loopback address.
 */
final class EmbeddedBrokerConnectionDetails implements MqttConnectionDetails {

	private final MqttBroker broker;

	private final String host;

	EmbeddedBrokerConnectionDetails(MqttBroker broker, @Nullable String bindHost) {
		this.broker = broker;
		String host = (bindHost == null || bindHost.equals("0.0.0.0") || bindHost.equals("::")) ? "127.0.0.1"
				: bindHost;
		this.host = host.contains(":") ? "[" + host + "]" : host;
	}

	@Override
	public List<String> getUrls() {
		int port = this.broker.ports().mqtt();
		if (port == BrokerPorts.DISABLED) {
			throw new IllegalStateException("The embedded broker has no plain MQTT port for clients to connect to; "
					+ "set mqtt.client.url or enable mqtt.broker.port");
		}
		return List.of("tcp://" + this.host + ":" + port);
	}

}
