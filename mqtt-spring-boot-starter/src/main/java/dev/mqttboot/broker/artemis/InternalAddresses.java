package dev.mqttboot.broker.artemis;

/**
 * The addresses and queues Artemis and the starter keep for themselves, as opposed to those behind MQTT topics and
 * subscriptions: Artemis's own ({@code activemq.} notifications and management, {@code $.artemis.} cluster
 * store-and-forward) and the starter's ({@code mqtt-boot.}, the cluster's retained-message copies). Artemis's MQTT
 * layer also keeps state under {@code $sys.mqtt.} (retained messages, sessions, QoS 2 releases); whether that counts
 * depends on the caller, so it is asked for apart.
 */
final class InternalAddresses {

	private InternalAddresses() {
	}

	/** @return whether the address or queue is Artemis's or the starter's, not an MQTT topic's or session's */
	static boolean ofEngine(String name) {
		return name.startsWith("activemq.") || name.startsWith("$.artemis.") || name.startsWith("mqtt-boot.");
	}

	/** @return whether the address or queue holds state of Artemis's MQTT layer ({@code $sys.mqtt.*}) */
	static boolean ofMqttLayer(String name) {
		return name.startsWith("$sys.");
	}

}
