package dev.mqttboot.broker;

/**
 * The engine behind the embedded broker ({@code mqtt.broker.engine}).
 */
public enum BrokerEngine {

	/** Moquette 0.17: small and quick to start, MQTT 3.1.1; the default. Needs mqtt-spring-boot-starter-moquette. */
	MOQUETTE,

	/**
	 * Apache ActiveMQ Artemis: MQTT 3.1.1 and 5, shared subscriptions, a crash-safe journal, paging. Needs
	 * mqtt-spring-boot-starter-artemis.
	 */
	ARTEMIS

}
