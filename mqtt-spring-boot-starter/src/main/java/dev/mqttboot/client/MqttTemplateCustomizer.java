package dev.mqttboot.client;

/**
 * Adjusts the auto-configured {@link MqttTemplate} after the properties are applied (observation convention, and what
 * else properties don't express). Every bean of this type is applied in order ({@link org.springframework.core.Ordered}
 * or {@code @Order}).
 */
@FunctionalInterface
public interface MqttTemplateCustomizer {

	/**
	 * Customize the template.
	 * @param template the template, before any application bean uses it
	 */
	void customize(MqttTemplate template);

}
