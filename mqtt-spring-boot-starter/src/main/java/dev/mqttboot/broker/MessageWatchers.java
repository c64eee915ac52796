package dev.mqttboot.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mqttboot.core.TopicLimits;
import dev.mqttboot.core.TopicSyntax;

/**
 * The watches on one broker ({@link MqttBroker#watch}): each engine offers every message it accepted here. With no
 * watch open an offer costs one volatile read; a payload is copied only for a message that some watch's filter
 * matches, and a watcher that throws is logged and skipped, never allowed to disturb the engine thread.
 */
public final class MessageWatchers {

	private static final Logger logger = LoggerFactory.getLogger(MessageWatchers.class);

	private final List<Watch> watches = new CopyOnWriteArrayList<>();

	private volatile boolean any;

	/**
	 * Open a watch.
	 * @param filter a topic filter
	 * @param watcher called for each matching message, on the engine's thread: it must return quickly
	 * @return closes the watch
	 * @throws IllegalArgumentException for an invalid filter
	 */
	public AutoCloseable add(String filter, Consumer<BrokerMessage> watcher) {
		Watch watch = new Watch(TopicSyntax.requireFilter(filter, TopicLimits.PROTOCOL), watcher);
		this.watches.add(watch);
		this.any = true;
		return () -> {
			this.watches.remove(watch);
			this.any = !this.watches.isEmpty();
		};
	}

	/** @return whether any watch is open: an engine may skip building the offer when not */
	public boolean any() {
		return this.any;
	}

	/**
	 * Offer a message the broker accepted.
	 * @param topic its topic name
	 * @param qos the QoS it was published at
	 * @param retained its RETAIN flag
	 * @param payload reads a copy of the payload, only when a watch matches
	 */
	public void offer(String topic, int qos, boolean retained, Supplier<byte[]> payload) {
		if (!this.any) {
			return;
		}
		BrokerMessage message = null;
		for (Watch watch : this.watches) {
			if (!TopicSyntax.matches(watch.filter, topic)) {
				continue;
			}
			try {
				if (message == null) {
					message = new BrokerMessage(topic, payload.get(), qos, retained);
				}
				watch.watcher.accept(message);
			}
			catch (RuntimeException ex) {
				logger.warn("A watch on '{}' failed on a message to '{}': {}", watch.filter, topic, ex.toString());
			}
		}
	}

	private record Watch(String filter, Consumer<BrokerMessage> watcher) {
	}

}
