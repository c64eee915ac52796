package dev.mqttboot.client;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each received message to the handlers whose filters match its topic, and acknowledges it to the broker once
 * every one of them has acknowledged it (at once when none matches). An acknowledgement runs once however often it is
 * called, and never on a later connection than the message came on: there its packet id may name another message,
 * and the broker redelivers the message instead.
 */
final class InboundDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(InboundDispatcher.class);

	/** Sends PUBACK (QoS 1) or PUBREC (QoS 2) for a message. */
	@FunctionalInterface
	interface Acknowledger {

		void acknowledge(int messageId, int qos);

	}

	private final String name;

	private final SubscriptionTable table;

	private final Acknowledger acknowledger;

	/** Counts connects; an acknowledgement belongs to the connection its message came on. */
	private final AtomicInteger generation = new AtomicInteger();

	InboundDispatcher(String name, SubscriptionTable table, Acknowledger acknowledger) {
		this.name = name;
		this.table = table;
		this.acknowledger = acknowledger;
	}

	/** A new connection: acknowledgements of earlier messages are no longer sent. */
	void connected() {
		this.generation.incrementAndGet();
	}

	void dispatch(ReceivedMessage message) {
		Set<MessageHandler> targets = this.table.handlersFor(message.topic());
		if (targets.isEmpty()) {
			this.acknowledger.acknowledge(message.messageId(), message.qos());
			return;
		}
		int receivedOn = this.generation.get();
		AtomicInteger pending = new AtomicInteger(targets.size());
		Runnable all = () -> {
			if (pending.decrementAndGet() == 0 && receivedOn == this.generation.get()) {
				this.acknowledger.acknowledge(message.messageId(), message.qos());
			}
		};
		for (MessageHandler handler : targets) {
			AtomicBoolean done = new AtomicBoolean();
			Runnable once = () -> {
				if (done.compareAndSet(false, true)) {
					all.run();
				}
			};
			try {
				handler.handle(message, once);
			}
			catch (RuntimeException ex) {
				logger.error("MQTT client '{}': a handler failed on a message from '{}'", this.name, message.topic(), ex);
				once.run();
			}
		}
	}

}
