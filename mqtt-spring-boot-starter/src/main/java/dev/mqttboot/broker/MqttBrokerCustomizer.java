package dev.mqttboot.broker;

/**
 * Adjusts the embedded broker's engine where {@code mqtt.broker.*} has no property. Every bean of this type is
 * applied in order ({@link org.springframework.core.Ordered} or {@code @Order}) after the properties, just before
 * the engine starts. A setting that a property owns is refused with a {@link BrokerStartException} naming that
 * property, so the properties stay the one place where ports, security, persistence and limits are set.
 */
@FunctionalInterface
public interface MqttBrokerCustomizer {

	/**
	 * Customize the engine.
	 * @param engine the engine's configuration, before it starts
	 */
	void customize(BrokerEngineConfiguration engine);

}
