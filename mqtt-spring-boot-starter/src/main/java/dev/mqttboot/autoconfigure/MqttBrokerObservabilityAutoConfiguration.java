package dev.mqttboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mqttboot.actuate.BrokerHealthIndicator;
import dev.mqttboot.broker.MoquetteBroker;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.metrics.BrokerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics and health for the embedded broker. Registers, when their libraries are present:
 * <ul>
 * <li>{@link BrokerMetrics}, a Micrometer {@link MeterBinder} (bound to every registry by Spring Boot);</li>
 * <li>the {@code mqtt} health contributor, with a {@code broker} part ({@link BrokerHealthIndicator}), unless
 * {@code management.health.mqtt.enabled=false}.</li>
 * </ul>
 */
@AutoConfiguration(after = MqttBrokerAutoConfiguration.class)
@ConditionalOnBean(MqttBroker.class)
public final class MqttBrokerObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		BrokerMetrics mqttBrokerMetrics(MqttBroker broker) {
			return new BrokerMetrics(broker,
					(broker instanceof MoquetteBroker moquette) ? moquette.keepAliveCeiling() : null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("mqtt")
	static class Health {

		@Bean
		@ConditionalOnMissingBean(name = "mqttHealthContributor")
		CompositeHealthContributor mqttHealthContributor(MqttBroker broker) {
			Map<String, HealthContributor> parts = new LinkedHashMap<>();
			parts.put("broker", new BrokerHealthIndicator(broker));
			return CompositeHealthContributor.fromMap(parts);
		}

	}

}
