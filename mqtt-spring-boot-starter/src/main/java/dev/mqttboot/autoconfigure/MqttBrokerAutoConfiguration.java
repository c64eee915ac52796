package dev.mqttboot.autoconfigure;

import java.util.Locale;

import dev.mqttboot.broker.BrokerEngine;
import dev.mqttboot.broker.BrokerPasswords;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import dev.mqttboot.broker.artemis.ArtemisBroker;
import dev.mqttboot.broker.moquette.MoquetteBroker;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.broker.MqttBrokerCustomizer;
import io.moquette.broker.EngineAccessRuntimeHints;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the embedded MQTT broker. Registers:
 * <ul>
 * <li>an {@link MqttBroker} on the engine {@code mqtt.broker.engine} names — Moquette (the default) or Artemis —
 * built from {@code mqtt.broker.*} and adjusted by every {@link MqttBrokerCustomizer} bean in order, unless the
 * application defines its own broker;</li>
 * <li>an {@link EmbeddedBrokerLifecycle} that starts it early, stops it late and publishes its ports;</li>
 * <li>a handler of reloads of its SSL bundle, so its TLS listeners serve renewed certificates.</li>
 * </ul>
 * Active when {@link EmbeddedBrokerCondition} holds. Each engine needs its libraries; without them an engine named
 * explicitly fails the start-up naming the artifact to add, while the default simply backs off (a client-only
 * application).
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@Conditional(EmbeddedBrokerCondition.class)
@EnableConfigurationProperties(MqttProperties.class)
@Import(MqttPropertiesBinding.class)
public final class MqttBrokerAutoConfiguration {

	@Bean
	@ConditionalOnBean(MqttBroker.class)
	@ConditionalOnMissingBean
	EmbeddedBrokerLifecycle mqttBrokerLifecycle(MqttBroker broker, ConfigurableEnvironment environment) {
		return new EmbeddedBrokerLifecycle(broker, environment);
	}

	@Bean
	@ConditionalOnBean({ MqttBroker.class, SslBundles.class })
	BrokerKeyMaterialUpdates mqttBrokerKeyMaterialUpdates(MqttBroker broker, SslBundles sslBundles,
			MqttProperties properties) {
		return new BrokerKeyMaterialUpdates(broker, sslBundles, properties.getBroker());
	}

	private static BrokerSettings settings(MqttProperties properties, ObjectProvider<SslBundles> sslBundles,
			Environment environment) {
		MovedBrokerProperties.check(environment);
		return new BrokerSettingsFactory(properties.getBroker(), sslBundles.getIfAvailable()).create();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = MoquetteEngine.ENGINE_CLASS)
	@ConditionalOnProperty(name = "mqtt.broker.engine", havingValue = "moquette", matchIfMissing = true)
	@ImportRuntimeHints(EngineAccessRuntimeHints.class)
	static class MoquetteEngine {

		static final String ENGINE_CLASS = "io.moquette.broker.Server";

		@Bean
		@ConditionalOnMissingBean(MqttBroker.class)
		MoquetteBroker mqttBroker(MqttProperties properties, ObjectProvider<SslBundles> sslBundles,
				ObjectProvider<MqttBrokerCustomizer> customizers, Environment environment) {
			return new MoquetteBroker(settings(properties, sslBundles, environment), BrokerPasswords.encoder(),
					customizers.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { ArtemisEngine.ENGINE_CLASS, ArtemisEngine.MQTT_CLASS })
	@ConditionalOnProperty(name = "mqtt.broker.engine", havingValue = "artemis")
	static class ArtemisEngine {

		static final String ENGINE_CLASS = "org.apache.activemq.artemis.core.server.ActiveMQServer";

		static final String MQTT_CLASS = "org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolManager";

		@Bean
		@ConditionalOnMissingBean(MqttBroker.class)
		ArtemisBroker mqttBroker(MqttProperties properties, ObjectProvider<SslBundles> sslBundles,
				ObjectProvider<MqttBrokerCustomizer> customizers, Environment environment) {
			return new ArtemisBroker(settings(properties, sslBundles, environment), BrokerPasswords.encoder(),
					customizers.orderedStream().toList());
		}

	}

	/** An engine named explicitly whose libraries are missing: the start-up fails saying what to add. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(EngineLibrariesMissing.class)
	static class MissingEngine {

		@Bean
		@ConditionalOnMissingBean(MqttBroker.class)
		MqttBroker mqttBroker(MqttProperties properties) {
			BrokerEngine engine = properties.getBroker().getEngine();
			String artifact = (engine == BrokerEngine.ARTEMIS) ? "mqtt-spring-boot-starter-artemis"
					: "mqtt-spring-boot-starter-moquette";
			throw new BrokerStartException("mqtt.broker.engine", "mqtt.broker.engine is "
					+ engine.name().toLowerCase(Locale.ROOT) + ", but that engine's libraries are not on the class path",
					"Add the dependency dev.mqttboot:" + artifact + " (type pom), or choose another engine", null);
		}

	}

}
