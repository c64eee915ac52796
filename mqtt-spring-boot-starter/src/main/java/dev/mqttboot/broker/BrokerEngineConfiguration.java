package dev.mqttboot.broker;

import org.jspecify.annotations.Nullable;

/**
 * The configuration of the engine behind the embedded broker, as an {@link MqttBrokerCustomizer} sees it: the
 * validated settings from {@code mqtt.broker.*}, and the engine's own configuration keys for what those do not cover.
 */
public interface BrokerEngineConfiguration {

	/**
	 * The engine's name.
	 * @return {@code moquette}
	 */
	String engine();

	/**
	 * The settings built from {@code mqtt.broker.*}.
	 * @return the validated settings
	 */
	BrokerSettings settings();

	/**
	 * Set one of the engine's own configuration keys. Moquette: the keys of its {@code moquette.conf}, e.g.
	 * {@code persistent_client_expiration}, {@code buffer_flush_millis} or {@code reauthorize_subscriptions_on_connect}.
	 * @param key the engine's key
	 * @param value its value
	 * @throws BrokerStartException when a {@code mqtt.broker.*} property owns the key, or the starter's own listeners
	 * make it meaningless (the message names what to set instead)
	 */
	void set(String key, String value);

	/**
	 * The value an engine key has now.
	 * @param key the engine's key
	 * @return its value, or {@code null} when unset
	 */
	@Nullable String get(String key);

}
