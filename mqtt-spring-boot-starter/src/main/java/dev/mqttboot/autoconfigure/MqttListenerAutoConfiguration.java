package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.observation.MqttListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.listener.DefaultMqttListenerContainerFactory;
import dev.mqttboot.listener.LoggingErrorHandler;
import dev.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import dev.mqttboot.listener.MqttListenerContainerFactory;
import dev.mqttboot.listener.MqttListenerContainerFactoryCustomizer;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;
import dev.mqttboot.listener.MqttListenerErrorHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of {@code @MqttListener} methods. Registers:
 * <ul>
 * <li>the annotation post-processor, which turns each annotated method into a {@code MqttListenerEndpoint};</li>
 * <li>{@link MqttListenerContainerFactoryConfigurer}: the settings below, for an application that builds a
 * second factory;</li>
 * <li>{@code mqttListenerContainerFactory}: a {@link DefaultMqttListenerContainerFactory} from
 * {@code mqtt.listener.*} (isolation, ack mode, queue, retry, dead-letter topic), with virtual worker threads when
 * {@code spring.threads.virtual.enabled=true} and in-progress invocations given
 * {@code spring.lifecycle.timeout-per-shutdown-phase} to finish on stop, then every
 * {@link MqttListenerContainerFactoryCustomizer} in order;</li>
 * <li>the {@link MqttListenerEndpointRegistry}, which runs a container per endpoint after the client connections;</li>
 * <li>the default error handler {@code mqttListenerErrorHandler} (log with listener id, topic and cause).</li>
 * </ul>
 * Active when client connections exist; each bean backs off when the application defines its own.
 */
@AutoConfiguration(after = MqttClientAutoConfiguration.class)
@ConditionalOnBean(MqttConnections.class)
public final class MqttListenerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static MqttListenerAnnotationBeanPostProcessor mqttListenerAnnotationBeanPostProcessor() {
		return new MqttListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	MqttListenerContainerFactoryConfigurer mqttListenerContainerFactoryConfigurer(MqttOperations operations,
			MqttProperties properties, @Qualifier("mqttListenerErrorHandler") MqttListenerErrorHandler errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MqttListenerObservationConvention> observationConvention, ObjectProvider<MqttBroker> broker,
			Environment environment) {
		MqttBroker embedded = broker.getIfAvailable();
		return new MqttListenerContainerFactoryConfigurer(properties.getListener(), operations, errorHandler,
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique(),
				embedded != null && embedded.supportsSharedSubscriptions(), Threading.VIRTUAL.isActive(environment),
				Binder.get(environment)
					.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
					.orElse(Duration.ofSeconds(30)));
	}

	@Bean
	@ConditionalOnMissingBean(MqttListenerContainerFactory.class)
	DefaultMqttListenerContainerFactory mqttListenerContainerFactory(MqttConnections connections,
			MqttOperations operations, MqttListenerContainerFactoryConfigurer configurer,
			ObjectProvider<MqttListenerContainerFactoryCustomizer> customizers) {
		DefaultMqttListenerContainerFactory factory = new DefaultMqttListenerContainerFactory(connections, operations);
		configurer.configure(factory);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	MqttListenerEndpointRegistry mqttListenerEndpointRegistry(MqttListenerContainerFactory factory) {
		return new MqttListenerEndpointRegistry(factory);
	}

	@Bean
	@ConditionalOnMissingBean(name = "mqttListenerErrorHandler")
	MqttListenerErrorHandler mqttListenerErrorHandler() {
		return new LoggingErrorHandler();
	}

}
