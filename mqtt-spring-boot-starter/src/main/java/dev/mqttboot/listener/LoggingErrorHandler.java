package dev.mqttboot.listener;

import dev.mqttboot.client.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link MqttListenerErrorHandler}: logs the listener id, the topic and the cause.
 */
public class LoggingErrorHandler implements MqttListenerErrorHandler {

	private static final Logger logger = LoggerFactory.getLogger(LoggingErrorHandler.class);

	@Override
	public void handleError(String listenerId, ReceivedMessage message, Throwable error) {
		logger.error("MQTT listener '{}' failed on a message from '{}' (QoS {}, {} bytes)", listenerId,
				message.topic(), message.qos(), message.payload().length, error);
	}

}
