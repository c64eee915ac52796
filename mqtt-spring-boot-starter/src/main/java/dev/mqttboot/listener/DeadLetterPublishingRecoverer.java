package dev.mqttboot.listener;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.client.ReceivedMessage;

/**
 * An error handler that publishes a message its listener failed on to {@code <prefix>/<original topic>} at QoS 1,
 * and returns only once the broker has acknowledged that publish: the failed message is acknowledged after that, so
 * it is never gone from both places. When the broker does not acknowledge in time it throws, and the failed message
 * stays unacknowledged (the broker delivers it again).
 */
public class DeadLetterPublishingRecoverer implements MqttListenerErrorHandler {

	private final MqttOperations operations;

	private final String topicPrefix;

	private final Duration timeout;

	/**
	 * Create the recoverer.
	 * @param operations publishes the dead letters
	 * @param topicPrefix the topic prefix
	 * @param timeout how long to wait for the broker's acknowledgement
	 */
	public DeadLetterPublishingRecoverer(MqttOperations operations, String topicPrefix, Duration timeout) {
		this.operations = operations;
		this.topicPrefix = topicPrefix;
		this.timeout = timeout;
	}

	@Override
	public void handleError(String listenerId, ReceivedMessage message, Throwable error) throws Exception {
		String topic = this.topicPrefix + "/" + message.topic();
		try {
			this.operations.publish(topic, message.payload(), PublishOptions.qos(1))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("Dead letter to '" + topic + "' was not acknowledged: "
					+ cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Dead letter to '" + topic + "' was not acknowledged within "
					+ this.timeout.toMillis() + " ms", ex);
		}
	}

	/** @return the topic prefix */
	public String topicPrefix() {
		return this.topicPrefix;
	}

}
