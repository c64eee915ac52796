package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.BrokerPasswords;
import dev.mqttboot.broker.moquette.MoquetteBroker;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import io.moquette.broker.EngineAccessRuntimeHints;
import io.moquette.broker.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configuration of the embedded MQTT broker. Registers:
 * <ul>
 * <li>an {@link MqttBroker} (Moquette) built from {@code mqtt.broker.*} and adjusted by every
 * {@link MqttBrokerCustomizer} bean in order, unless the application defines its own broker;</li>
 * <li>an {@link EmbeddedBrokerLifecycle} that starts it early, stops it late and publishes its ports.</li>
 * </ul>
 * Active when Moquette is on the classpath and {@link EmbeddedBrokerCondition} holds.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(Server.class)
@Conditional(EmbeddedBrokerCondition.class)
@EnableConfigurationProperties(MqttProperties.class)
@Import(MqttPropertiesBinding.class)
@ImportRuntimeHints(EngineAccessRuntimeHints.class)
public final class MqttBrokerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(MqttBroker.class)
	MoquetteBroker mqttBroker(MqttProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<MqttBrokerCustomizer> customizers) {
		return new MoquetteBroker(
				new BrokerSettingsFactory(properties.getBroker(), sslBundles.getIfAvailable()).create(),
				BrokerPasswords.encoder(), customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	EmbeddedBrokerLifecycle mqttBrokerLifecycle(MqttBroker broker, ConfigurableEnvironment environment) {
		return new EmbeddedBrokerLifecycle(broker, environment);
	}

}
