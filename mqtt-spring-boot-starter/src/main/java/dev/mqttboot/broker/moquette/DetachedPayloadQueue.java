package dev.mqttboot.broker.moquette;

import java.util.function.UnaryOperator;

import io.moquette.broker.SessionMessageQueue;
import io.moquette.broker.SessionRegistry;
import io.netty.buffer.ByteBuf;

/**
 * A session's queue whose messages never share a payload buffer with the rest of the engine.
 * <p>
 * Moquette's H2 queue puts the message object itself into an MVStore map, and the store serializes it later, at its
 * next commit, on the commit thread. Moquette meanwhile takes the message out of the queue, sends it and releases its
 * payload once the subscriber acknowledges it. A commit that had captured the map before the removal then reads a
 * released buffer: the commit fails, MVStore closes the store for good, every later queue operation throws, and the
 * session's loop stops serving its clients until a restart (seen in {@code CrashDurabilityIT} after a
 * {@code kill -9}: 710 of 2,000 queued messages never left the broker). With a pooled buffer the commit can instead
 * write another message's bytes.
 * <p>
 * So the queue holds a heap copy that only the store reads and nothing releases (the garbage collector frees it),
 * and it hands out a copy of its own to each caller, who owns and releases it as before. The copies cost one
 * payload's bytes twice for each message queued in the store (not for one delivered at once, which never enters a
 * queue, nor for an in-memory queue, which is never serialized and is not decorated so). They are
 * made by a function of the caller's, so that what it knows about a payload (a retained replay) can follow it to the
 * copy.
 */
final class DetachedPayloadQueue implements SessionMessageQueue<SessionRegistry.EnqueuedMessage> {

	private final SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue;

	private final UnaryOperator<ByteBuf> copier;

	/**
	 * @param queue the engine's queue
	 * @param copier returns a heap copy of a payload, with a reference count of its own, leaving the original as it is
	 */
	DetachedPayloadQueue(SessionMessageQueue<SessionRegistry.EnqueuedMessage> queue, UnaryOperator<ByteBuf> copier) {
		this.queue = queue;
		this.copier = copier;
	}

	@Override
	public void enqueue(SessionRegistry.EnqueuedMessage message) {
		if (message instanceof SessionRegistry.PublishedMessage published) {
			this.queue.enqueue(copy(published));
			// The queue owned the reference the engine retained for it; the copy replaces it.
			published.release();
		}
		else {
			this.queue.enqueue(message);
		}
	}

	@Override
	public SessionRegistry.EnqueuedMessage dequeue() {
		SessionRegistry.EnqueuedMessage message = this.queue.dequeue();
		return (message instanceof SessionRegistry.PublishedMessage published) ? copy(published) : message;
	}

	@Override
	public boolean isEmpty() {
		return this.queue.isEmpty();
	}

	@Override
	public void closeAndPurge() {
		this.queue.closeAndPurge();
	}

	private SessionRegistry.PublishedMessage copy(SessionRegistry.PublishedMessage message) {
		return new SessionRegistry.PublishedMessage(message.getTopic(), message.getPublishingQos(),
				this.copier.apply(message.getPayload()), false);
	}

}
