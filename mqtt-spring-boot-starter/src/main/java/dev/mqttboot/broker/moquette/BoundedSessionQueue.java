package dev.mqttboot.broker.moquette;

import java.util.function.UnaryOperator;

import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry.EnqueuedMessage;

/**
 * A session's queue with a limit ({@code mqtt.broker.moquette.max-queued-messages}): a message beyond it is released
 * and counted, as Mosquitto's {@code max_queued_messages} drops it; Moquette's own grows without limit for a
 * subscriber that does not read, until the heap runs out. Used only on its session's loop, like the queue it wraps.
 */
final class BoundedSessionQueue implements SessionMessageQueue<EnqueuedMessage> {

	private final SessionMessageQueue<EnqueuedMessage> queue;

	private final int limit;

	private final Runnable onDrop;

	/** What this wrapper enqueued and has not handed out (a queue restored from the store starts uncounted). */
	private int size;

	/**
	 * @param limit most messages a session's queue may hold
	 * @param onDrop called for each message dropped because its session's queue was full
	 * @return the decoration of a session's queue; a queue decorated already is left as it is
	 */
	static UnaryOperator<SessionMessageQueue<EnqueuedMessage>> decoration(int limit, Runnable onDrop) {
		return (queue) -> (queue instanceof BoundedSessionQueue) ? queue : new BoundedSessionQueue(queue, limit, onDrop);
	}

	/**
	 * @param queue a session's queue
	 * @return what it holds, counted since the engine restored the session, or {@code -1} when it is not bounded here
	 */
	static long length(Object queue) {
		return (queue instanceof BoundedSessionQueue bounded) ? bounded.size : -1;
	}

	BoundedSessionQueue(SessionMessageQueue<EnqueuedMessage> queue, int limit, Runnable onDrop) {
		this.queue = queue;
		this.limit = limit;
		this.onDrop = onDrop;
	}

	@Override
	public void enqueue(EnqueuedMessage message) {
		if (this.size >= this.limit) {
			message.release();
			this.onDrop.run();
			return;
		}
		this.queue.enqueue(message);
		this.size++;
	}

	@Override
	public EnqueuedMessage dequeue() {
		EnqueuedMessage message = this.queue.dequeue();
		if (message != null && this.size > 0) {
			this.size--;
		}
		return message;
	}

	@Override
	public boolean isEmpty() {
		return this.queue.isEmpty();
	}

	@Override
	public void closeAndPurge() {
		this.size = 0;
		this.queue.closeAndPurge();
	}

}
