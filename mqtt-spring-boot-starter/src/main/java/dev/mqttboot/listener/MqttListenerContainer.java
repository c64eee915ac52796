package dev.mqttboot.listener;

import dev.mqttboot.client.MqttConnection;

import org.springframework.context.SmartLifecycle;

/**
 * A running {@link MqttListenerEndpoint}: its subscriptions, its workers, pause and resume, and when messages are
 * acknowledged. Created by a {@link MqttListenerContainerFactory}; the {@link MqttListenerEndpointRegistry} owns its
 * lifecycle.
 * <p>
 * A QoS 1/2 message is acknowledged to the broker exactly once: after the listener returned, or after the error
 * handler dealt with its failure ({@link AckMode#AFTER_PROCESSING}), or when it was received
 * ({@link AckMode#ON_RECEIPT}). One that was not processed (the container stopped first) is never acknowledged: the
 * broker keeps it for a persistent session and delivers it again.
 */
public interface MqttListenerContainer extends SmartLifecycle {

	/** The state of a container. */
	enum State {

		/** Not receiving. */
		STOPPED,

		/** Receiving and processing. */
		RUNNING,

		/** Receiving; messages wait unprocessed (and unacknowledged) until resumed. */
		PAUSED

	}

	/** @return what it runs */
	MqttListenerEndpoint endpoint();

	/** @return the current state */
	State state();

	/** @return the connection it receives on */
	MqttConnection connection();

	/** Stop processing; messages wait, unacknowledged. */
	void pause();

	/** Process what waited, and what comes next. */
	void resume();

	/** @return messages received and not yet processed */
	int queued();

}
