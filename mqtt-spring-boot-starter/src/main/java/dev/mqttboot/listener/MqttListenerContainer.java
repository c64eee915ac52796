package dev.mqttboot.listener;

import java.util.List;
import java.util.concurrent.CompletableFuture;

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
 * <p>
 * {@link #start()} only asks for the subscriptions; {@link #subscribed()} says when the broker has granted them, and
 * the registry's start waits for that.
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

	/**
	 * The broker's grant of every subscription of this running container, on its connection as it is now: completed
	 * at once when the broker has granted them all, else when it does (after the next connect if the connection is
	 * down). Cancelling it only stops the caller's wait.
	 * @return a future completed when all are granted; failed with an {@link IllegalStateException} when the
	 * container is stopped, or naming the filters the broker refused
	 */
	CompletableFuture<Void> subscribed();

	/**
	 * Whether the broker holds every subscription of this container now: its connection is up and each of the
	 * endpoint's filters was granted on it.
	 * @return {@code true} when subscribed
	 */
	default boolean isSubscribed() {
		MqttConnection connection = connection();
		if (!connection.isConnected()) {
			return false;
		}
		List<String> granted = connection.subscriptions()
			.stream()
			.filter(MqttConnection.SubscriptionStatus::granted)
			.map(MqttConnection.SubscriptionStatus::topicFilter)
			.toList();
		return granted.containsAll(endpoint().topicFilters());
	}

}
