package dev.mqttboot.client;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Creates Paho-backed {@link MqttConnection}s, so that the Paho implementation classes stay package-private.
 */
public final class PahoConnections {

	private PahoConnections() {
	}

	/**
	 * Create a connection (not started: {@link MqttConnections} starts it).
	 * @param settings the connection settings; no URLs means the embedded broker
	 * @param embeddedBrokerUrl the embedded broker's URL, asked for at start, or {@code null}
	 * @param events publishes {@link MqttClientEvent}s
	 * @param v3Customizers customizers applied to MQTT 3.1.1 options
	 * @param v5Customizers customizers applied to MQTT 5 options
	 * @return the connection
	 */
	public static MqttConnection create(MqttConnectionSettings settings, Supplier<String> embeddedBrokerUrl,
			Consumer<Object> events, List<MqttConnectOptionsCustomizers.V3> v3Customizers,
			List<MqttConnectOptionsCustomizers.V5> v5Customizers) {
		List<MqttConnectOptionsCustomizers.V3> v3 = List.copyOf(v3Customizers);
		List<MqttConnectOptionsCustomizers.V5> v5 = List.copyOf(v5Customizers);
		return new PahoConnection(settings, embeddedBrokerUrl, events, switch (settings.protocolVersion()) {
			case V3_1_1 -> (own, urls, callbacks) -> new PahoV3Client(own, urls, v3, callbacks);
			case V5 -> (own, urls, callbacks) -> new PahoV5Client(own, urls, v5, callbacks);
		});
	}

}
