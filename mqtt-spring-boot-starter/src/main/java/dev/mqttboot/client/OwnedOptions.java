package dev.mqttboot.client;

import org.springframework.integration.mqtt.core.AbstractMqttClientManager;

/**
 * The client options the starter owns, whatever a {@link MqttConnectOptionsCustomizers customizer} does: it reconnects
 * itself (Paho's automatic reconnect would run a second loop behind it, without the configured backoff) and
 * acknowledges messages itself after processing (manual acknowledgements are set on the client manager, out of the
 * customizers' reach).
 */
final class OwnedOptions {

	/** How long a stopping connection lets in-flight messages finish. */
	static final long QUIESCE_MILLIS = 500;

	/** How long a stopping connection waits for DISCONNECT to be written. */
	static final long DISCONNECT_MILLIS = 2000;

	private OwnedOptions() {
	}

	/**
	 * Set what the starter owns on a client manager: manual acknowledgements (at-least-once: a message is
	 * acknowledged when its handlers are done, not on arrival), and short waits on stop.
	 * @param manager the client manager
	 * @param settings the connection settings
	 */
	static void configure(AbstractMqttClientManager<?, ?> manager, MqttConnectionSettings settings) {
		manager.setCompletionTimeout(settings.connectionTimeout().toMillis());
		// On stop, give in-flight work a moment rather than Paho's default 30 s.
		manager.setQuiescentTimeout(QUIESCE_MILLIS);
		manager.setManualAcks(true);
		manager.setDisconnectCompletionTimeout(DISCONNECT_MILLIS);
	}

	/**
	 * Refuse options a customizer changed behind the starter's back.
	 * @param connection the connection name
	 * @param automaticReconnect Paho's automatic reconnect, after the customizers ran
	 * @throws ClientStartException when a customizer turned it on
	 */
	static void check(String connection, boolean automaticReconnect) {
		if (automaticReconnect) {
			String property = connection.equals(MqttConnections.DEFAULT) ? "mqtt.client.reconnect"
					: "mqtt.clients." + connection + ".reconnect";
			throw new ClientStartException(property, "A connect-options customizer turned on Paho's automatic "
					+ "reconnect for MQTT client '" + connection + "'; the starter reconnects by itself",
					"Remove setAutomaticReconnect(true) from the customizer and tune " + property
							+ ".initial-delay and .max-delay instead");
		}
	}

}
