package dev.mqttboot.listener;

/**
 * Adjusts the starter's {@link DefaultMqttListenerContainerFactory} after {@code mqtt.listener.*} has been applied
 * (a task executor of your own, an error handler, a retry policy...). Beans of this type are applied in order.
 */
@FunctionalInterface
public interface MqttListenerContainerFactoryCustomizer {

	/**
	 * Customize the factory.
	 * @param factory the factory
	 */
	void customize(DefaultMqttListenerContainerFactory factory);

}
