package dev.mqttboot.broker.moquette;

import dev.mqttboot.core.TopicSyntax;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import io.moquette.broker.IRetainedRepository;
import io.moquette.broker.RetainedMessage;
import io.moquette.broker.subscriptions.Topic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * The engine's retained-message store, as seen when a new subscription asks for its retained messages. It fixes two
 * of Moquette 0.17's departures from MQTT 3.1.1:
 * <ul>
 * <li>a filter that starts with a wildcard gets no retained message whose topic starts with {@code $}
 * [MQTT-4.7.2-1];</li>
 * <li>a retained message replayed at QoS 1 or 2 must carry RETAIN=1 [MQTT-3.3.1-8], but the engine sends every QoS
 * 1/2 delivery with RETAIN=0. Each replay is handed to the engine with a payload array of its own, remembered
 * here (weakly), so the connection guard can tell the replay apart when it is written and set the flag. A resend of
 * that delivery carries the same array, and the flag, as MQTT asks of a resend.</li>
 * </ul>
 * A replay that waits in a persistent session's queue in the store (its in-flight window full) is copied there
 * ({@link #detachedCopy}) and the copies are remembered too. Limitation: one that comes back from disk after a restart
 * has a new array and goes out with RETAIN=0.
 */
final class RetainedReplays implements IRetainedRepository {

	private final IRetainedRepository engine;

	/** Payload arrays of replays at QoS 1/2 still referenced by the engine; arrays compare by identity. */
	private final Map<byte[], Boolean> replayPayloads = Collections.synchronizedMap(new WeakHashMap<>());

	/** Nothing to look up until the first replay at QoS 1/2. */
	private volatile boolean anyReplayed;

	RetainedReplays(IRetainedRepository engine) {
		this.engine = engine;
	}

	@Override
	public List<RetainedMessage> retainedOnTopic(String filter) {
		List<RetainedMessage> stored = this.engine.retainedOnTopic(filter);
		if (stored.isEmpty()) {
			return stored;
		}
		boolean wildcardFirst = TopicSyntax.startsWithWildcard(filter);
		List<RetainedMessage> replays = new ArrayList<>(stored.size());
		for (RetainedMessage message : stored) {
			if (wildcardFirst && TopicSyntax.isDollarTopic(message.getTopic().toString())) {
				continue;
			}
			if (message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
				replays.add(message);
				continue;
			}
			byte[] payload = message.getPayload().clone();
			this.replayPayloads.put(payload, Boolean.TRUE);
			this.anyReplayed = true;
			replays.add(new RetainedMessage(message.getTopic(), message.qosLevel(), payload));
		}
		return replays;
	}

	/**
	 * The retained messages a subscription to a filter would get, as the engine stores them, without marking them as
	 * replays (nothing is sent).
	 * @param filter a valid topic filter
	 * @return the messages
	 */
	List<RetainedMessage> stored(String filter) {
		boolean wildcardFirst = TopicSyntax.startsWithWildcard(filter);
		return this.engine.retainedOnTopic(filter)
			.stream()
			.filter((message) -> !(wildcardFirst && TopicSyntax.isDollarTopic(message.getTopic().toString())))
			.toList();
	}

	/**
	 * Whether an outgoing QoS 1/2 PUBLISH is the replay of a retained message to a new subscription.
	 * @param payload the payload of the PUBLISH as the engine writes it
	 * @return {@code true} when its RETAIN flag must be set
	 */
	boolean isReplay(ByteBuf payload) {
		return this.anyReplayed && payload.hasArray() && this.replayPayloads.containsKey(payload.array());
	}

	/**
	 * A heap copy of a payload, with a reference count of its own; the copy of a replay is a replay too.
	 * @param payload a payload, left as it is
	 * @return the copy
	 */
	ByteBuf detachedCopy(ByteBuf payload) {
		ByteBuf copy = Unpooled.copiedBuffer(payload);
		if (isReplay(payload)) {
			this.replayPayloads.put(copy.array(), Boolean.TRUE);
		}
		return copy;
	}

	@Override
	public void cleanRetained(Topic topic) {
		this.engine.cleanRetained(topic);
	}

	@Override
	public void retain(Topic topic, MqttPublishMessage message) {
		this.engine.retain(topic, message);
	}

	@Override
	public boolean isEmpty() {
		return this.engine.isEmpty();
	}

}
