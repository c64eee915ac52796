package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.observation.MqttListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.core.MqttConfigurationException;
import dev.mqttboot.listener.DeadLetterPublishingRecoverer;
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
	@ConditionalOnMissingBean(MqttListenerContainerFactory.class)
	DefaultMqttListenerContainerFactory mqttListenerContainerFactory(MqttConnections connections,
			MqttOperations operations, MqttProperties properties,
			@Qualifier("mqttListenerErrorHandler") MqttListenerErrorHandler errorHandler,
			ObjectProvider<MqttListenerContainerFactoryCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MqttListenerObservationConvention> observationConvention, ObjectProvider<MqttBroker> broker,
			Environment environment) {
		MqttProperties.Listener listener = properties.getListener();
		DefaultMqttListenerContainerFactory factory = new DefaultMqttListenerContainerFactory(connections, operations);
		if (listener.getQueueCapacity() < 1) {
			throw invalid("queue-capacity", listener.getQueueCapacity() + " is below 1", "1 or more, e.g. 1000");
		}
		factory.setQueueCapacity(listener.getQueueCapacity());
		factory.setAckMode(listener.getAckMode());
		factory.setIsolation(listener.getIsolation());
		factory.setErrorHandler(errorHandler);
		if (listener.getDeadLetterTopic() != null) {
			factory.setRecoverer(new DeadLetterPublishingRecoverer(operations, listener.getDeadLetterTopic(),
					Duration.ofSeconds(30)));
		}
		MqttProperties.Retry retry = listener.getRetry();
		if (retry.isEnabled()) {
			if (retry.getMaxAttempts() < 1) {
				throw invalid("retry.max-attempts", retry.getMaxAttempts() + " is below 1", "1 or more, e.g. 3");
			}
			if (retry.getMultiplier() < 1) {
				throw invalid("retry.multiplier", retry.getMultiplier() + " is below 1", "1 or more, e.g. 2");
			}
			factory.setRetryPolicy(DefaultMqttListenerContainerFactory.retryPolicy(retry.getMaxAttempts() - 1,
					retry.getInitialInterval(), retry.getMultiplier(), retry.getMaxInterval()));
		}
		MqttBroker embedded = broker.getIfAvailable();
		factory.setEmbeddedBrokerSharedSubscriptions(embedded != null && embedded.supportsSharedSubscriptions());
		factory.setObservationEnabled(listener.isObservationEnabled());
		factory.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		factory.setObservationConvention(observationConvention.getIfUnique());
		factory.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		factory.setStopTimeout(Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30)));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		return factory;
	}

	private static MqttConfigurationException invalid(String name, String problem, String accepted) {
		String property = "mqtt.listener." + name;
		return new MqttConfigurationException(property, "Invalid value for " + property + ": " + problem,
				"Set " + property + " to " + accepted, null);
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
