package dev.mqttboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The converters {@link MqttProperties} binds with, imported by every auto-configuration that binds it.
 */
@Configuration(proxyBeanMethods = false)
class MqttPropertiesBinding {

	@Bean
	@ConfigurationPropertiesBinding
	static MqttProtocolVersionConverter mqttProtocolVersionConverter() {
		return new MqttProtocolVersionConverter();
	}

}
