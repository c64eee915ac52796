package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerEngineConfiguration;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.MqttBrokerCustomizer;

import java.util.Map;
import java.util.Properties;

/**
 * Moquette's configuration keys behind {@link BrokerEngineConfiguration}. The keys the starter sets from
 * {@code mqtt.broker.*}, and those of the listeners it binds itself, are refused.
 */
final class MoquetteEngineConfiguration implements BrokerEngineConfiguration {

	/** Engine keys a property owns, with that property. */
	private static final Map<String, String> OWNED = Map.ofEntries(Map.entry("port", "mqtt.broker.port"),
			Map.entry("host", "mqtt.broker.host"), Map.entry("websocket_port", "mqtt.broker.websocket.port"),
			Map.entry("websocket_path", "mqtt.broker.websocket.path"), Map.entry("ssl_port", "mqtt.broker.ssl.port"),
			Map.entry("secure_websocket_port", "mqtt.broker.ssl.websocket-port"),
			Map.entry("jks_path", "mqtt.broker.ssl.bundle"), Map.entry("key_store_type", "mqtt.broker.ssl.bundle"),
			Map.entry("key_store_password", "mqtt.broker.ssl.bundle"),
			Map.entry("key_manager_password", "mqtt.broker.ssl.bundle"),
			Map.entry("ssl_provider", "mqtt.broker.ssl.bundle"),
			Map.entry("need_client_auth", "mqtt.broker.ssl.client-auth"),
			Map.entry("allow_anonymous", "mqtt.broker.allow-anonymous"),
			Map.entry("password_file", "mqtt.broker.users-file"), Map.entry("acl_file", "mqtt.broker.acl"),
			Map.entry("authenticator_class", "mqtt.broker.users"), Map.entry("authorizator_class", "mqtt.broker.acl"),
			Map.entry("netty.mqtt.message_size", "mqtt.broker.max-message-size"),
			Map.entry("netty.channel_timeout.seconds", "mqtt.broker.connect-timeout"),
			Map.entry("session_queue_size", "mqtt.broker.moquette.session-queue-size"),
			Map.entry("persistence_enabled", "mqtt.broker.persistence.enabled"),
			Map.entry("data_path", "mqtt.broker.persistence.directory"),
			Map.entry("persistent_store", "mqtt.broker.persistence.directory"),
			Map.entry("autosave_interval", "mqtt.broker.moquette.autosave-interval"),
			Map.entry("persistent_queue_type", "nothing: the H2 queue store is the one that survives a hard kill"),
			Map.entry("telemetry_enabled", "nothing: the starter keeps Moquette's telemetry off"),
			Map.entry("allow_zero_byte_client_id", "nothing: MQTT 3.1.1 requires it with a clean session"));

	private final BrokerSettings settings;

	private final Properties properties;

	MoquetteEngineConfiguration(BrokerSettings settings, Properties properties) {
		this.settings = settings;
		this.properties = properties;
	}

	@Override
	public String engine() {
		return "moquette";
	}

	@Override
	public BrokerSettings settings() {
		return this.settings;
	}

	@Override
	public void set(String key, String value) {
		String owner = OWNED.get(key);
		if (owner == null && key.startsWith("netty.")) {
			owner = "nothing: the starter binds the listeners itself, so Moquette's socket options do not apply";
		}
		if (owner != null) {
			String property = owner.startsWith("mqtt.") ? owner : "mqtt.broker";
			throw new BrokerStartException(property,
					"An MqttBrokerCustomizer set the Moquette key '" + key + "', which the starter owns",
					owner.startsWith("mqtt.") ? "Set " + owner + " instead" : "Remove it; set " + owner, null);
		}
		this.properties.setProperty(key, value);
	}

	@Override
	public String get(String key) {
		return this.properties.getProperty(key);
	}

}
