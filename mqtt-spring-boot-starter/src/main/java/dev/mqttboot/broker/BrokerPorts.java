package dev.mqttboot.broker;

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

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		append(text, "mqtt", this.mqtt);
		append(text, "mqtts", this.mqttSsl);
		append(text, "ws", this.websocket);
		append(text, "wss", this.websocketSsl);
		return (text.length() > 0) ? text.toString() : "none";
	}

	private static void append(StringBuilder text, String name, int port) {
		if (port != DISABLED) {
			if (text.length() > 0) {
				text.append(", ");
			}
			text.append(name).append(' ').append(port);
		}
	}

}
