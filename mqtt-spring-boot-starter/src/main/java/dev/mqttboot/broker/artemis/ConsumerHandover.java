package dev.mqttboot.broker.artemis;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.server.Consumer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConsumerPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's queue goes to the connection that took the place of a dropped one only once the dropped connection's
 * unacknowledged messages are back in it, so that one publisher's messages still reach the client in order through a
 * quick reconnect [MQTT-4.6.0-6].
 * <p>
 * When Artemis closes a dropped connection's consumer, it takes back what the consumer had in flight in a
 * transaction whose rollback puts those messages back in the queue only once the pending journal writes of the
 * closing thread are done. A client back within those milliseconds got a consumer on its queue before they were back:
 * newer messages went out first and the older ones after them (messages 281 to 352 after 353 in one test run). So
 * before a consumer is created on a queue, this waits, bounded by {@link #WAIT_MILLIS}, while a consumer of the
 * queue's own client (by the queue's name, {@code <client id>.<address>}) is still on it, or while the queue has no
 * consumer and messages still counted as in delivery (put back, not yet back). The wait runs on the new connection's
 * thread; what it waits for runs on the old connection's and on the journal's.
 */
final class ConsumerHandover implements ActiveMQServerConsumerPlugin {

	/** Most time a new consumer waits for the messages of the one before it. */
	static final long WAIT_MILLIS = 2_000;

	private static final long POLL_MILLIS = 1;

	private static final Logger logger = LoggerFactory.getLogger(ConsumerHandover.class);

	private final Object consumerClosed = new Object();

	@Override
	public void beforeCreateConsumer(long consumerID, QueueBinding binding, SimpleString filterString,
			boolean browseOnly, boolean supportLargeMessage) {
		Queue queue = (binding != null) ? binding.getQueue() : null;
		if (browseOnly || queue == null || InternalAddresses.ofEngine(queue.getName().toString()) || !handingOver(queue)) {
			return;
		}
		long start = System.nanoTime();
		long deadline = start + WAIT_MILLIS * 1_000_000;
		synchronized (this.consumerClosed) {
			while (handingOver(queue)) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					logger.warn("{}: the previous connection's messages are not back after {} ms; the new "
							+ "connection may get newer ones first", queue.getName(), WAIT_MILLIS);
					return;
				}
				try {
					// A closing consumer is announced; messages coming back are not, so they are polled for.
					this.consumerClosed.wait(Math.min(left, POLL_MILLIS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		logger.debug("A new consumer of {} waited {} µs for the previous connection's messages", queue.getName(),
				(System.nanoTime() - start) / 1_000);
	}

	@Override
	public void afterCloseConsumer(ServerConsumer consumer, boolean failed) {
		synchronized (this.consumerClosed) {
			this.consumerClosed.notifyAll();
		}
	}

	/** Whether the queue is still between a consumer that went and the one that comes. */
	private static boolean handingOver(Queue queue) {
		String name = queue.getName().toString();
		boolean anyConsumer = false;
		for (Consumer consumer : queue.getConsumers()) {
			anyConsumer = true;
			if (consumer instanceof ServerConsumer server && "MQTT".equals(server.getConnectionProtocolName())) {
				String clientId = server.getConnectionClientID();
				if (clientId != null && name.startsWith(clientId + ".")) {
					return true;
				}
			}
		}
		return !anyConsumer && queue.getDeliveringCount() > 0;
	}

}
