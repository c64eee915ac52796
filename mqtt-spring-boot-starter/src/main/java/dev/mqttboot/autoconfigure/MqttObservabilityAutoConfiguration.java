package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mqttboot.actuate.BrokerHealthIndicator;
import dev.mqttboot.actuate.ClientsHealthContributor;
import dev.mqttboot.actuate.ListenersHealthIndicator;
import dev.mqttboot.actuate.MqttEndpoint;
import dev.mqttboot.actuate.MqttEndpointProperties;
import dev.mqttboot.actuate.MqttEndpointWebExtension;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;
import dev.mqttboot.metrics.BrokerMetrics;
import dev.mqttboot.metrics.ClientMetrics;
import dev.mqttboot.metrics.ListenerMetrics;
import dev.mqttboot.metrics.ObservationMeterDescriptions;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics, health and the actuator endpoint for MQTT. Registers, when their libraries and subjects are present:
 * <ul>
 * <li>Micrometer binders {@link BrokerMetrics}, {@link ClientMetrics} and {@link ListenerMetrics} (bound to every
 * registry by Spring Boot), and {@link ObservationMeterDescriptions}, help text for the observations' meters;</li>
 * <li>the {@code mqtt} health contributor: a {@code broker} part, a {@code clients} part with one indicator per
 * connection and a {@code listeners} part (turn off with {@code management.health.mqtt.enabled=false});</li>
 * <li>the {@code mqtt} actuator endpoint ({@link MqttEndpoint}).</li>
 * </ul>
 */
@AutoConfiguration(after = { MqttBrokerAutoConfiguration.class, MqttClientAutoConfiguration.class,
		MqttListenerAutoConfiguration.class })
@Conditional(MqttObservabilityAutoConfiguration.SomethingToObserve.class)
public final class MqttObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MqttBroker.class)
		BrokerMetrics mqttBrokerMetrics(MqttBroker broker) {
			return new BrokerMetrics(broker, broker.keepAliveCeiling());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MqttConnections.class)
		ClientMetrics mqttClientMetrics(MqttConnections connections, MqttProperties properties) {
			return new ClientMetrics(connections, properties.getMetrics().isHistograms());
		}

		@Bean
		@ConditionalOnMissingBean
		static ObservationMeterDescriptions mqttObservationMeterDescriptions() {
			return new ObservationMeterDescriptions();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MqttListenerEndpointRegistry.class)
		ListenerMetrics mqttListenerMetrics(MqttListenerEndpointRegistry registry, MqttProperties properties) {
			return new ListenerMetrics(registry, properties.getMetrics().isHistograms());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("mqtt")
	static class Health {

		@Bean
		@ConditionalOnMissingBean(name = "mqttHealthContributor")
		CompositeHealthContributor mqttHealthContributor(ObjectProvider<MqttBroker> broker,
				ObjectProvider<MqttConnections> connections, ObjectProvider<MqttListenerEndpointRegistry> listeners,
				MqttProperties properties) {
			Map<String, HealthContributor> parts = new LinkedHashMap<>();
			broker.ifAvailable((embedded) -> parts.put("broker", new BrokerHealthIndicator(embedded)));
			connections.ifAvailable((all) -> parts.put("clients",
					new ClientsHealthContributor(all, properties.getHealth().getClientGracePeriod())));
			listeners.ifAvailable((registry) -> parts.put("listeners", new ListenersHealthIndicator(registry)));
			return CompositeHealthContributor.fromMap(parts);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(MqttEndpoint.class)
	@EnableConfigurationProperties(MqttEndpointProperties.class)
	static class Actuator {

		@Bean
		@ConditionalOnMissingBean
		MqttEndpoint mqttEndpoint(ObjectProvider<MqttBroker> broker, ObjectProvider<MqttConnections> connections,
				ObjectProvider<MqttListenerEndpointRegistry> listeners, MqttEndpointProperties properties) {
			return new MqttEndpoint(broker.getIfAvailable(), connections.getIfAvailable(), listeners.getIfAvailable(),
					properties.getShowValues(), properties.getRoles());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MqttEndpoint.class)
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		MqttEndpointWebExtension mqttEndpointWebExtension(MqttEndpoint endpoint) {
			return new MqttEndpointWebExtension(endpoint);
		}

	}

	/** The embedded broker or client connections exist. */
	static final class SomethingToObserve extends AnyNestedCondition {

		SomethingToObserve() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(MqttBroker.class)
		static final class Broker {

		}

		@ConditionalOnBean(MqttConnections.class)
		static final class Clients {

		}

	}

}
