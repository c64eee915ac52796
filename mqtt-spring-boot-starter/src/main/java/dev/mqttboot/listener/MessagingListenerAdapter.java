package dev.mqttboot.listener;

import java.util.HashMap;
import java.util.Map;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.client.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Calls a listener method for one received message: turns it into a Spring {@link Message} (payload and MQTT
 * headers, topic variables), invokes the method through spring-messaging (conversion, {@code @Payload},
 * {@code @Header}, validation), and publishes a return value as the reply.
 */
final class MessagingListenerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(MessagingListenerAdapter.class);

	private final MqttListenerEndpoint endpoint;

	private final MqttOperations replies;

	MessagingListenerAdapter(MqttListenerEndpoint endpoint, MqttOperations replies) {
		this.endpoint = endpoint;
		this.replies = replies;
	}

	/**
	 * Invoke the method.
	 * @param received the message
	 * @param template the topic template it matched
	 * @throws Exception what the method (or the conversion of its arguments) threw
	 */
	void invoke(ReceivedMessage received, TopicTemplate template) throws Exception {
		Map<String, String> variables = template.extract(received.topic());
		Object result = this.endpoint.handlerMethod().invoke(toMessage(received, variables));
		if (result != null) {
			reply(received, variables, result);
		}
	}

	private static Message<byte[]> toMessage(ReceivedMessage received, Map<String, String> variables) {
		Map<String, Object> headers = new HashMap<>(16);
		headers.put(MqttMessageHeaders.TOPIC, received.topic());
		headers.put(MqttMessageHeaders.QOS, received.qos());
		headers.put(MqttMessageHeaders.RETAINED, received.retained());
		headers.put(MqttMessageHeaders.DUPLICATE, received.duplicate());
		headers.put(MqttMessageHeaders.MESSAGE_ID, received.messageId());
		headers.put(MqttMessageHeaders.USER_PROPERTIES, received.userProperties());
		headers.put(MqttMessageHeaders.TOPIC_VARIABLES, variables);
		if (received.responseTopic() != null) {
			headers.put(MqttMessageHeaders.RESPONSE_TOPIC, received.responseTopic());
		}
		if (received.correlationData() != null) {
			headers.put(MqttMessageHeaders.CORRELATION_DATA, received.correlationData());
		}
		if (received.contentType() != null) {
			headers.put(MqttMessageHeaders.CONTENT_TYPE, received.contentType());
		}
		return MessageBuilder.createMessage(received.payload(), new ReceivedHeaders(headers));
	}

	private void reply(ReceivedMessage received, Map<String, String> variables, Object result) {
		PublishOptions.Builder options = PublishOptions.builder().qos(this.endpoint.qos());
		String topic;
		// As with JMSReplyTo in Spring JMS and the reply-topic header in Spring Kafka: the request's own response topic
		// wins over the listener's default.
		if (received.responseTopic() != null) {
			topic = received.responseTopic();
			if (received.correlationData() != null) {
				options.correlationData(received.correlationData());
			}
		}
		else if (this.endpoint.sendTo() != null) {
			topic = TopicTemplate.expand(this.endpoint.sendTo(), variables);
		}
		else {
			logger.debug("MQTT listener '{}' returned a value but has no @SendTo and the request no response topic",
					this.endpoint.id());
			return;
		}
		this.replies.publish(topic, result, options.build()).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.warn("MQTT listener '{}' could not publish its reply to '{}': {}", this.endpoint.id(), topic,
						failure.getMessage());
			}
		});
	}

	/**
	 * Headers of a received message: an MQTT message has its own identity (topic and packet id), so no id or
	 * timestamp is generated for each one.
	 */
	private static final class ReceivedHeaders extends MessageHeaders {

		ReceivedHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

}
