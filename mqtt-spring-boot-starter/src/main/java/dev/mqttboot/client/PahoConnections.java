package dev.mqttboot.client;

import java.util.List;
import java.util.function.Consumer;

/**
 * Creates Paho-backed {@link MqttConnection}s, so that the Paho implementation classes stay package-private.
 */
public final class PahoConnections {

	private PahoConnections() {
	}

	/**
	 * Create a connection (not started: {@link MqttConnections} starts it).
	 * @param settings the connection settings
	 * @param events publishes {@link MqttClientEvent}s
	 * @param v3Customizers customizers applied to MQTT 3.1.1 options
	 * @param v5Customizers customizers applied to MQTT 5 options
	 * @return the connection
	 */
	public static MqttConnection create(MqttConnectionSettings settings, Consumer<Object> events, List<MqttConnectOptionsCustomizers.V3> v3Customizers,
			List<MqttConnectOptionsCustomizers.V5> v5Customizers) {
		List<MqttConnectOptionsCustomizers.V3> v3 = List.copyOf(v3Customizers);
		List<MqttConnectOptionsCustomizers.V5> v5 = List.copyOf(v5Customizers);
		return new PahoConnection(settings, events, switch (settings.protocolVersion()) {
			case V3_1_1 -> (own, address, callbacks) -> new PahoV3Client(own, address, v3, callbacks);
			case V5 -> (own, address, callbacks) -> new PahoV5Client(own, address, v5, callbacks);
		});
	}

}
