package dev.mqttboot.broker.moquette;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.moquette.broker.EngineAccess;
import io.moquette.broker.RetainedMessage;
import io.moquette.broker.Server;
import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry.EnqueuedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * What {@link DeliveryConformance} needs from one started Moquette engine, through {@link EngineAccess} (the one place
 * that reaches inside it). Installing it puts {@link DollarTopicSubscriptions} and {@link RetainedReplays} in front
 * of the engine's subscription directory and retained store, and a limit and payloads of their own on every
 * session's queue.
 */
final class EngineHooks {

	private final Server server;

	private final RetainedReplays retainedReplays;

	private final long redeliveryIntervalMillis;

	private final UnaryOperator<SessionMessageQueue<EnqueuedMessage>> queueDecoration;

	private EngineHooks(Server server, RetainedReplays retainedReplays, Duration redeliveryInterval,
			UnaryOperator<SessionMessageQueue<EnqueuedMessage>> queueDecoration) {
		this.server = server;
		this.retainedReplays = retainedReplays;
		this.redeliveryIntervalMillis = redeliveryInterval.toMillis();
		this.queueDecoration = queueDecoration;
	}

	/**
	 * Decorate a started engine, before any client connects.
	 * @param server the engine
	 * @param redeliveryInterval how often unacknowledged messages are resent on a live connection ({@code 0}: never)
	 * @param maxQueuedMessages most messages one session may queue beyond its in-flight window
	 * @param onQueueFull called for each message dropped because its session's queue was full
	 * @return the hooks into that engine
	 */
	static EngineHooks install(Server server, Duration redeliveryInterval, int maxQueuedMessages,
			Runnable onQueueFull) {
		RetainedReplays[] replays = new RetainedReplays[1];
		EngineAccess.decorate(server, DollarTopicSubscriptions::new, (store) -> {
			replays[0] = new RetainedReplays(store);
			return replays[0];
		});
		UnaryOperator<SessionMessageQueue<EnqueuedMessage>> queueDecoration = BoundedSessionQueue
			.decoration(maxQueuedMessages, onQueueFull);
		// A queue in the H2 store gets payloads of its own (see DetachedPayloadQueue); one in memory is never
		// serialized and keeps the engine's buffers.
		UnaryOperator<SessionMessageQueue<EnqueuedMessage>> persistentDecoration = EngineAccess.queuesInStore(server)
				? (queue) -> queueDecoration.apply(new DetachedPayloadQueue(queue, replays[0]::detachedCopy))
				: queueDecoration;
		EngineAccess.decorateQueues(server, persistentDecoration);
		return new EngineHooks(server, replays[0], redeliveryInterval, queueDecoration);
	}

	boolean isRetainedReplay(ByteBuf payload) {
		return this.retainedReplays.isReplay(payload);
	}

	boolean storeRetained(String clientId, String topic, byte[] payload, MqttQoS qos) {
		return EngineAccess.storeRetained(this.server, clientId, topic, payload, qos);
	}

	List<RetainedMessage> retained(String filter) {
		return this.retainedReplays.stored(filter);
	}

	CompletableFuture<long[]> backlog(String clientId) {
		return EngineAccess.backlog(this.server, clientId, BoundedSessionQueue::length);
	}

	CompletableFuture<List<MqttMessage>> unacknowledged(Channel channel) {
		return EngineAccess.unacknowledged(this.server, channel, InflightOrder::sendOrder);
	}

	void connectionCompleted(Channel channel) {
		EngineAccess.redeliveryInterval(channel.pipeline(), this.redeliveryIntervalMillis);
		EngineAccess.sessionConnected(this.server, channel, this.queueDecoration, SessionExpiry::toStore);
	}

}
