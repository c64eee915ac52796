package dev.mqttboot.core;

/**
 * The MQTT protocol version a client connection speaks.
 */
public enum MqttProtocolVersion {

	/** MQTT 3.1.1 (Eclipse Paho v3). */
	V3_1_1,

	/** MQTT 5 (Eclipse Paho v5): user properties, response topic, correlation data, message expiry. */
	V5

}
