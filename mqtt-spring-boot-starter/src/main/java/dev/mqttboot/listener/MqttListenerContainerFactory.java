package dev.mqttboot.listener;

/**
 * Creates the container that runs a {@link MqttListenerEndpoint}. The starter's is a
 * {@link DefaultMqttListenerContainerFactory} built from {@code mqtt.listener.*}; define a bean of this type to
 * replace it, or a {@link MqttListenerContainerFactoryCustomizer} to adjust it.
 */
@FunctionalInterface
public interface MqttListenerContainerFactory {

	/**
	 * Create a container, not started.
	 * @param endpoint the endpoint
	 * @return its container
	 */
	MqttListenerContainer createContainer(MqttListenerEndpoint endpoint);

}
