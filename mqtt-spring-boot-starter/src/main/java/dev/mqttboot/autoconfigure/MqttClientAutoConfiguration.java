package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnectOptionsCustomizers;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.MqttTemplate;
import dev.mqttboot.client.MqttTemplateCustomizer;
import dev.mqttboot.observation.MqttPublishObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.integration.mqtt.core.ClientManager;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * Auto-configuration of MQTT client connections and the template. Registers:
 * <ul>
 * <li>{@link MqttConnectionDetails} from the properties (a connection without a URL goes to the embedded broker);</li>
 * <li>{@link MqttConnectionsConfigurer}: every connection's settings, checked, with the connect-options
 * customizers, for an application that builds connections of its own;</li>
 * <li>{@link MqttConnections} from it: the {@code default} connection ({@code mqtt.client.*}) and one per
 * {@code mqtt.clients.<name>}, on Spring Integration's client managers (Paho v3 or v5), connected after the embedded
 * broker has started;</li>
 * <li>{@code mqttMessageConverter}: bytes, strings, and JSON through the application's Jackson {@link JsonMapper};</li>
 * <li>{@link MqttTemplate} as {@link MqttOperations} on the default connection, observed when
 * {@code mqtt.client.observation-enabled} is true, then adjusted by every {@link MqttTemplateCustomizer} in
 * order.</li>
 * </ul>
 * Active unless {@code mqtt.client.enabled=false}, when a client URL is configured, the embedded broker runs (clients
 * then connect to it) or the application defines {@link MqttConnectionDetails}. Each bean backs off when the application defines its own.
 */
@AutoConfiguration(after = { MqttBrokerAutoConfiguration.class, SslAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ ClientManager.class, MqttAsyncClient.class })
@ConditionalOnBooleanProperty(name = "mqtt.client.enabled", matchIfMissing = true)
@Conditional(MqttClientAutoConfiguration.ClientConfigured.class)
@EnableConfigurationProperties(MqttProperties.class)
@Import(MqttPropertiesBinding.class)
public final class MqttClientAutoConfiguration {

	@Bean
	ClientProperties.All mqttClientProperties(MqttProperties properties, Environment environment) {
		return ClientProperties.of(properties, environment);
	}

	@Bean
	@ConditionalOnMissingBean(MqttConnectionDetails.class)
	PropertiesMqttConnectionDetails mqttConnectionDetails(MqttProperties properties,
			ClientProperties.All clientProperties, ObjectProvider<MqttBroker> broker,
			ObjectProvider<SslBundles> sslBundles) {
		MqttBroker embedded = broker.getIfAvailable();
		return new PropertiesMqttConnectionDetails(clientProperties.byName(), sslBundles.getIfAvailable(),
				(embedded != null) ? new EmbeddedBrokerConnectionDetails(embedded, properties.getBroker().getHost())
						: null);
	}

	@Bean
	@ConditionalOnMissingBean
	MqttConnectionsConfigurer mqttConnectionsConfigurer(ClientProperties.All clientProperties,
			MqttConnectionDetails connectionDetails, ApplicationEventPublisher events,
			ObjectProvider<MqttConnectOptionsCustomizers.V3> v3Customizers,
			ObjectProvider<MqttConnectOptionsCustomizers.V5> v5Customizers, Environment environment) {
		ClientSettingsFactory factory = new ClientSettingsFactory(connectionDetails,
				environment.getProperty("spring.application.name"));
		Map<String, MqttConnectionSettings> settings = new LinkedHashMap<>();
		clientProperties.byName().forEach((name, connection) -> settings.put(name, factory.create(connection)));
		return new MqttConnectionsConfigurer(settings, events::publishEvent, v3Customizers.orderedStream().toList(),
				v5Customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	MqttConnections mqttConnections(MqttConnectionsConfigurer configurer) {
		return configurer.createConnections();
	}

	@Bean
	@ConditionalOnMissingBean(name = "mqttMessageConverter")
	MessageConverter mqttMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
		JsonMapper mapper = jsonMapper.getIfAvailable(JsonMapper::new);
		return new CompositeMessageConverter(List.of(new ByteArrayMessageConverter(), new StringMessageConverter(),
				new JacksonJsonMessageConverter(mapper)));
	}

	@Bean
	@ConditionalOnMissingBean(MqttOperations.class)
	MqttTemplate mqttTemplate(MqttConnections connections,
			@org.springframework.beans.factory.annotation.Qualifier("mqttMessageConverter") MessageConverter converter,
			MqttProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MqttPublishObservationConvention> observationConvention,
			ObjectProvider<MqttTemplateCustomizer> customizers) {
		MqttTemplate template = new MqttTemplate(connections, converter);
		template.setObservationEnabled(properties.getClient().isObservationEnabled());
		template.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		template.setObservationConvention(observationConvention.getIfUnique());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
		return template;
	}

	/** A client URL is configured, the embedded broker runs, or the application defines the connection details. */
	static final class ClientConfigured extends AnyNestedCondition {

		ClientConfigured() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(prefix = "mqtt.client", name = "url")
		static final class UrlConfigured {

		}

		@ConditionalOnProperty(prefix = "mqtt.client", name = "url[0]")
		static final class UrlListConfigured {

		}

		@ConditionalOnBean(MqttBroker.class)
		static final class EmbeddedBroker {

		}

		@ConditionalOnBean(MqttConnectionDetails.class)
		static final class ConnectionDetailsDefined {

		}

	}

}
