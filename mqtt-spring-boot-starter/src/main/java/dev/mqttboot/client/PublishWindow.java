package dev.mqttboot.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Flow control for publishes: at most {@code maxInflight} are with the client library at once; the rest wait in order
 * in a bounded buffer (also while disconnected) and fail at once only when it is full. A burst beyond the in-flight
 * limit (or a broker's lower MQTT 5 receive maximum, when the client refuses to take more) thus waits for
 * acknowledgements instead of failing. One lock guards the queue and the slot count; sending happens outside it.
 */
final class PublishWindow {

	/** Hands a publish to the client library. */
	@FunctionalInterface
	interface Sender {

		/**
		 * @param publish the publish
		 * @return {@code false} when the client did not take it for now (not connected, or at its own in-flight
		 * limit): it then waits first in line
		 */
		boolean send(PendingPublish publish);

	}

	private final String name;

	private final int maxInflight;

	private final int bufferSize;

	private final Sender sender;

	private final Object lock = new Object();

	/** Publishes waiting for the connection or for a free slot, oldest first. Guarded by {@link #lock}. */
	private final Deque<PendingPublish> waiting = new ArrayDeque<>();

	/** Guarded by {@link #lock}. */
	private int slotsInUse;

	/** Guarded by {@link #lock}. */
	private boolean connected;

	PublishWindow(String name, int maxInflight, int bufferSize, Sender sender) {
		this.name = name;
		this.maxInflight = maxInflight;
		this.bufferSize = bufferSize;
		this.sender = sender;
	}

	/**
	 * Send a new publish when connected, with a free slot and nothing waiting before it; otherwise queue it, or fail
	 * its future at once when the buffer is full or off. Its slot is freed when its future completes.
	 * @param publish the publish
	 */
	void submit(PendingPublish publish) {
		publish.onRelease(() -> completed(publish));
		// Also when the future is completed elsewhere (cancelled): freeing a slot twice frees it once.
		publish.future().whenComplete((result, failure) -> completed(publish));
		String refusal = null;
		boolean sendNow = false;
		synchronized (this.lock) {
			if (this.connected && this.waiting.isEmpty() && this.slotsInUse < this.maxInflight) {
				takeSlot(publish);
				sendNow = true;
			}
			else if (this.waiting.size() < this.bufferSize) {
				this.waiting.add(publish);
			}
			else {
				refusal = refusal();
			}
		}
		if (refusal != null) {
			publish.future().completeExceptionally(new MqttPublishException(refusal, null));
		}
		else if (!sendNow || sendOrRequeue(publish)) {
			drain();
		}
	}

	/** The connection is up: send what waits. */
	void connected() {
		synchronized (this.lock) {
			this.connected = true;
		}
		drain();
	}

	/** The connection is down: new publishes wait in the buffer. */
	void disconnected() {
		synchronized (this.lock) {
			this.connected = false;
		}
	}

	/**
	 * Take everything still waiting (on stop).
	 * @return the publishes that were never sent
	 */
	List<PendingPublish> takeWaiting() {
		synchronized (this.lock) {
			this.connected = false;
			List<PendingPublish> unsent = List.copyOf(this.waiting);
			this.waiting.clear();
			return unsent;
		}
	}

	/**
	 * Publishes with the client and not yet completed.
	 * @return at most {@code maxInflight}
	 */
	int inflight() {
		synchronized (this.lock) {
			return this.slotsInUse;
		}
	}

	/**
	 * Publishes waiting for a slot or the connection.
	 * @return the count
	 */
	int waiting() {
		synchronized (this.lock) {
			return this.waiting.size();
		}
	}

	private void completed(PendingPublish publish) {
		boolean freed;
		synchronized (this.lock) {
			freed = freeSlot(publish);
		}
		if (freed) {
			drain();
		}
	}

	private String refusal() {
		if (!this.connected) {
			return "MQTT client '" + this.name + "' is not connected and its offline buffer is "
					+ ((this.bufferSize <= 0) ? "off" : "full (" + this.bufferSize + " messages)")
					+ " (mqtt.client.offline-buffer.size)";
		}
		return "MQTT client '" + this.name + "' has " + this.maxInflight
				+ " publishes awaiting acknowledgement (max-inflight) and "
				+ ((this.bufferSize <= 0) ? "no buffer for more" : this.bufferSize + " more waiting")
				+ " (mqtt.client.offline-buffer.size): wait for the returned futures, or raise either limit";
	}

	/**
	 * Send a publish that holds a slot; one the client does not take goes back to the head of the queue.
	 * @return whether the client took it
	 */
	private boolean sendOrRequeue(PendingPublish publish) {
		if (this.sender.send(publish)) {
			return true;
		}
		synchronized (this.lock) {
			freeSlot(publish);
			this.waiting.addFirst(publish);
		}
		return false;
	}

	private void drain() {
		while (true) {
			PendingPublish next;
			synchronized (this.lock) {
				if (!this.connected || this.slotsInUse >= this.maxInflight) {
					return;
				}
				next = this.waiting.poll();
				if (next == null) {
					return;
				}
				takeSlot(next);
			}
			if (!sendOrRequeue(next)) {
				return;
			}
		}
	}

	/** Guarded by {@link #lock}. */
	private void takeSlot(PendingPublish publish) {
		publish.holdsSlot = true;
		this.slotsInUse++;
	}

	/** Guarded by {@link #lock}. */
	private boolean freeSlot(PendingPublish publish) {
		if (!publish.holdsSlot) {
			return false;
		}
		publish.holdsSlot = false;
		this.slotsInUse--;
		return true;
	}

}
