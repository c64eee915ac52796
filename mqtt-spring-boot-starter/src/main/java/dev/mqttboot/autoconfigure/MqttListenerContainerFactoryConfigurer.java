package dev.mqttboot.autoconfigure;

import java.time.Duration;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.core.MqttConfigurationException;
import dev.mqttboot.listener.DeadLetterPublishingRecoverer;
import dev.mqttboot.listener.DefaultMqttListenerContainerFactory;
import dev.mqttboot.listener.MqttListenerErrorHandler;
import dev.mqttboot.observation.MqttListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link DefaultMqttListenerContainerFactory} as the auto-configured {@code mqttListenerContainerFactory}
 * is: {@code mqtt.listener.*} (isolation, ack mode, queue, retry, dead-letter topic, observation), the error handler,
 * whether the embedded broker takes shared subscriptions, virtual threads and the stop timeout. An application that
 * defines a second factory (for other connections, say) calls {@link #configure} on it to get the same settings, then
 * changes what differs. Invalid properties fail naming the property.
 */
public final class MqttListenerContainerFactoryConfigurer {

	private final MqttProperties.Listener properties;

	private final MqttOperations operations;

	private final MqttListenerErrorHandler errorHandler;

	private final ObservationRegistry observationRegistry;

	private final @Nullable MqttListenerObservationConvention observationConvention;

	private final boolean embeddedBrokerSharedSubscriptions;

	private final boolean virtualThreads;

	private final Duration stopTimeout;

	MqttListenerContainerFactoryConfigurer(MqttProperties.Listener properties, MqttOperations operations,
			MqttListenerErrorHandler errorHandler, ObservationRegistry observationRegistry,
			@Nullable MqttListenerObservationConvention observationConvention, boolean embeddedBrokerSharedSubscriptions,
			boolean virtualThreads, Duration stopTimeout) {
		this.properties = properties;
		this.operations = operations;
		this.errorHandler = errorHandler;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
		this.embeddedBrokerSharedSubscriptions = embeddedBrokerSharedSubscriptions;
		this.virtualThreads = virtualThreads;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * @param factory the factory to configure
	 * @throws MqttConfigurationException when a {@code mqtt.listener.*} value is invalid
	 */
	public void configure(DefaultMqttListenerContainerFactory factory) {
		MqttProperties.Listener listener = this.properties;
		if (listener.getQueueCapacity() < 1) {
			throw invalid("queue-capacity", listener.getQueueCapacity() + " is below 1", "1 or more, e.g. 1000");
		}
		factory.setQueueCapacity(listener.getQueueCapacity());
		factory.setAckMode(listener.getAckMode());
		factory.setIsolation(listener.getIsolation());
		factory.setErrorHandler(this.errorHandler);
		if (listener.getDeadLetterTopic() != null) {
			factory.setRecoverer(new DeadLetterPublishingRecoverer(this.operations, listener.getDeadLetterTopic(),
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
		factory.setEmbeddedBrokerSharedSubscriptions(this.embeddedBrokerSharedSubscriptions);
		factory.setObservationEnabled(listener.isObservationEnabled());
		factory.setObservationRegistry(this.observationRegistry);
		factory.setObservationConvention(this.observationConvention);
		factory.setVirtualThreads(this.virtualThreads);
		factory.setStopTimeout(this.stopTimeout);
	}

	private static MqttConfigurationException invalid(String name, String problem, String accepted) {
		String property = "mqtt.listener." + name;
		return new MqttConfigurationException(property, "Invalid value for " + property + ": " + problem,
				"Set " + property + " to " + accepted, null);
	}

}
