package dev.mqttboot.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports an {@link MqttBroker} is bound to. A transport that is not enabled has port {@code -1}.
 *
 * @param mqtt plain MQTT over TCP
 * @param mqttSsl MQTT over TLS
 * @param websocket MQTT over WebSocket
 * @param websocketSsl MQTT over secure WebSocket
 */
public record BrokerPorts(int mqtt, int mqttSsl, int websocket, int websocketSsl) {

	/** Port value of a transport that is not enabled. */
	public static final int DISABLED = -1;

	/** Ports of a broker that is not running. */
	public static final BrokerPorts NONE = new BrokerPorts(DISABLED, DISABLED, DISABLED, DISABLED);

	/**
	 * The enabled transports and their ports, keyed {@code mqtt}, {@code mqtts}, {@code ws} and {@code wss}.
	 * @return the bound ports, in that order
	 */
	public Map<String, Integer> asMap() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		put(ports, "mqtt", this.mqtt);
		put(ports, "mqtts", this.mqttSsl);
		put(ports, "ws", this.websocket);
		put(ports, "wss", this.websocketSsl);
		return ports;
	}

	private static void put(Map<String, Integer> ports, String name, int port) {
		if (port != DISABLED) {
			ports.put(name, port);
		}
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		asMap().forEach((name, port) -> text.append((text.length() > 0) ? ", " : "").append(name).append(' ')
			.append(port));
		return (text.length() > 0) ? text.toString() : "none";
	}

}
