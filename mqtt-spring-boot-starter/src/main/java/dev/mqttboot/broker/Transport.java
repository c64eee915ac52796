package dev.mqttboot.broker;

/**
 * The listeners a broker can accept connections on.
 */
public enum Transport {

	/** Plain MQTT over TCP. */
	MQTT,

	/** MQTT over TLS. */
	MQTT_SSL,

	/** MQTT over WebSocket. */
	WEBSOCKET,

	/** MQTT over secure WebSocket. */
	WEBSOCKET_SSL

}
