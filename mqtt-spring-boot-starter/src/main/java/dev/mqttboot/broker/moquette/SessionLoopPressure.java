package dev.mqttboot.broker.moquette;

import java.util.function.IntSupplier;

/**
 * How busy the engine's session loops are, for inbound backpressure. Moquette 0.17 reads from every socket as fast as
 * it can and queues each command on the session loop that owns the session; when that queue is full it drops the
 * command: a QoS 0 message is lost, a QoS 1/2 one is never acknowledged. So {@link SessionLoopBackpressure} stops
 * reading from a publishing client while any queue is past the high mark, and reads again once all are back under the
 * low mark: TCP then slows the publishers down instead.
 */
final class SessionLoopPressure {

	private final IntSupplier[] queueLengths;

	private final int high;

	private final int low;

	private final int checkEvery;

	/**
	 * @param queueLengths the current length of each session-loop queue
	 * @param capacity the capacity of each queue
	 */
	SessionLoopPressure(IntSupplier[] queueLengths, int capacity) {
		this.queueLengths = queueLengths;
		this.high = Math.max(1, capacity / 4);
		this.low = capacity / 16;
		// Each publish queues one or two commands, on every I/O thread at once: look often enough that the queues
		// cannot fill between two looks.
		this.checkEvery = Math.max(1, Math.min(16, capacity / 256));
	}

	/** How many publishes a connection may pass on between two looks at the queues. */
	int checkEvery() {
		return this.checkEvery;
	}

	/** Whether a queue is past the high mark (a quarter full): stop reading from publishers. */
	boolean congested() {
		for (IntSupplier length : this.queueLengths) {
			if (length.getAsInt() >= this.high) {
				return true;
			}
		}
		return false;
	}

	/** Whether every queue is back under the low mark (a sixteenth full): read again. */
	boolean relieved() {
		for (IntSupplier length : this.queueLengths) {
			if (length.getAsInt() > this.low) {
				return false;
			}
		}
		return true;
	}

}
