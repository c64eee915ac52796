package dev.mqttboot.autoconfigure;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.listener.LoggingErrorHandler;
import dev.mqttboot.listener.MqttListenerAnnotationBeanPostProcessor;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;
import dev.mqttboot.listener.MqttListenerErrorHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code @MqttListener} methods. Registers the annotation post-processor, the
 * {@link MqttListenerEndpointRegistry} (started after the client connections), and the default error handler
 * {@code mqttListenerErrorHandler} (log with listener id, topic and cause). Active when client connections exist.
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
	MqttListenerEndpointRegistry mqttListenerEndpointRegistry(MqttConnections connections, MqttOperations operations,
			MqttProperties properties) {
		MqttProperties.Listener listener = properties.getListener();
		if (listener.getQueueCapacity() < 1) {
			throw new dev.mqttboot.client.ClientStartException("mqtt.listener.queue-capacity",
					"Invalid value for mqtt.listener.queue-capacity: " + listener.getQueueCapacity() + " is below 1",
					"Set mqtt.listener.queue-capacity to 1 or more, e.g. 1000");
		}
		return new MqttListenerEndpointRegistry(connections, operations, listener.getDeadLetterTopic(),
				listener.getQueueCapacity(), listener.getAckMode());
	}

	@Bean
	@ConditionalOnMissingBean(name = "mqttListenerErrorHandler")
	MqttListenerErrorHandler mqttListenerErrorHandler() {
		return new LoggingErrorHandler();
	}

}
