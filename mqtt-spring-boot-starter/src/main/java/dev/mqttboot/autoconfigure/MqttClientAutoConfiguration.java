package dev.mqttboot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnectOptionsCustomizers;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttConnectionSettings;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.MqttTemplate;
import dev.mqttboot.client.PahoConnections;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
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
 * <li>{@link MqttConnections}: the {@code default} connection ({@code mqtt.client.*}) and one per
 * {@code mqtt.clients.<name>}, on Spring Integration's client managers (Paho v3 or v5), connected after the embedded
 * broker has started;</li>
 * <li>{@code mqttMessageConverter}: bytes, strings, and JSON through the application's Jackson {@link JsonMapper};</li>
 * <li>{@link MqttTemplate} as {@link MqttOperations} on the default connection.</li>
 * </ul>
 * Active unless {@code mqtt.client.enabled=false}, when a client URL is configured or the embedded broker runs
 * (clients then connect to it). Each bean backs off when the application defines its own.
 */
@AutoConfiguration(after = { MqttBrokerAutoConfiguration.class, SslAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ ClientManager.class, MqttAsyncClient.class })
@ConditionalOnBooleanProperty(name = "mqtt.client.enabled", matchIfMissing = true)
@Conditional(MqttClientAutoConfiguration.ClientConfigured.class)
@EnableConfigurationProperties(MqttProperties.class)
public final class MqttClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MqttConnections mqttConnections(MqttProperties properties, ObjectProvider<MqttBroker> broker,
			ObjectProvider<org.springframework.boot.ssl.SslBundles> sslBundles, ApplicationEventPublisher events,
			ObjectProvider<MqttConnectOptionsCustomizers.V3> v3Customizers,
			ObjectProvider<MqttConnectOptionsCustomizers.V5> v5Customizers, Environment environment) {
		ClientSettingsFactory factory = new ClientSettingsFactory(properties.getClient(), sslBundles.getIfAvailable(),
				environment.getProperty("spring.application.name"));
		MqttBroker embedded = broker.getIfAvailable();
		Supplier<String> embeddedUrl = (embedded != null) ? () -> embeddedBrokerUrl(embedded, properties) : null;
		List<MqttConnectOptionsCustomizers.V3> v3 = v3Customizers.orderedStream().toList();
		List<MqttConnectOptionsCustomizers.V5> v5 = v5Customizers.orderedStream().toList();
		Map<String, MqttConnection> connections = new LinkedHashMap<>();
		List<String> names = new ArrayList<>();
		names.add(MqttConnections.DEFAULT);
		names.addAll(properties.getClients().keySet());
		Map<String, MqttConnectionSettings> settings = new LinkedHashMap<>();
		for (String name : names) {
			MqttProperties.Client own = name.equals(MqttConnections.DEFAULT) ? properties.getClient()
					: properties.getClients().get(name);
			settings.put(name, factory.create(name, own));
			connections.put(name, PahoConnections.create(settings.get(name), embeddedUrl, events::publishEvent, v3, v5));
		}
		return new MqttConnections(connections, (base, owner) -> PahoConnections.create(
				settings.get(base).derive(base + ":" + owner, owner), embeddedUrl, events::publishEvent, v3, v5));
	}

	private static String embeddedBrokerUrl(MqttBroker broker, MqttProperties properties) {
		int port = broker.ports().mqtt();
		if (port == BrokerPorts.DISABLED) {
			throw new IllegalStateException("The embedded broker has no plain MQTT port for clients to connect to; "
					+ "set mqtt.client.url or enable mqtt.broker.port");
		}
		String host = properties.getBroker().getHost();
		if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
			host = "127.0.0.1";
		}
		return "tcp://" + host + ":" + port;
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
			@org.springframework.beans.factory.annotation.Qualifier("mqttMessageConverter") MessageConverter converter) {
		return new MqttTemplate(connections, converter);
	}

	/** A client URL is configured, or the embedded broker runs. */
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

	}

}
