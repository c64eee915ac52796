package dev.mqttboot.broker;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * What flowed through the broker since it started: messages delivered to subscribers, messages it dropped and why,
 * and bytes on the wire. Counted on the connections' event loops without locks; read by the metrics.
 */
public final class BrokerTraffic {

	/** Why the broker did not deliver a message to a subscriber. */
	public enum DropReason {

		/** A QoS 0 message to a subscriber whose outbound buffer ({@code outbound-buffer-size}) is full. */
		SLOW_SUBSCRIBER,

		/** A message withheld from a wider subscription by a deny rule. */
		ACCESS_DENIED,

		/**
		 * A QoS 1/2 message to a session whose queue already holds {@code max-queued-messages} (the Moquette engine;
		 * Artemis pages instead).
		 */
		QUEUE_FULL

	}

	private final LongAdder[] delivered = { new LongAdder(), new LongAdder(), new LongAdder() };

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder[] dropped = new LongAdder[DropReason.values().length];

	/** Create counters at zero. */
	public BrokerTraffic() {
		Arrays.setAll(this.dropped, (i) -> new LongAdder());
	}

	/** @param qos counts one message written to a subscriber at this QoS (called by the engine) */
	public void countDelivered(int qos) {
		this.delivered[qos].increment();
	}

	/** @param reason counts one message not delivered, for this reason (called by the engine) */
	public void countDropped(DropReason reason) {
		this.dropped[reason.ordinal()].increment();
	}

	/** @param bytes counts bytes read from clients (called by the engine) */
	public void countReceived(long bytes) {
		this.bytesReceived.add(bytes);
	}

	/** @param bytes counts bytes written to clients (called by the engine) */
	public void countSent(long bytes) {
		this.bytesSent.add(bytes);
	}

	/**
	 * Messages written to subscribers (resends included).
	 * @param qos the QoS they were delivered at
	 * @return the count
	 */
	public long delivered(int qos) {
		return this.delivered[qos].sum();
	}

	/**
	 * Messages not delivered to a subscriber.
	 * @param reason why
	 * @return the count
	 */
	public long dropped(DropReason reason) {
		return this.dropped[reason.ordinal()].sum();
	}

	/** @return bytes read from clients (TLS and WebSocket framing included) */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/** @return bytes written to clients (TLS and WebSocket framing included) */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

}
