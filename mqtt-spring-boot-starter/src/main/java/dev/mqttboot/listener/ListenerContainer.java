package dev.mqttboot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mqttboot.client.MessageHandler;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttSubscription;
import dev.mqttboot.client.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.Lifecycle;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.TaskExecutor;

import org.jspecify.annotations.Nullable;

/**
 * The starter's {@link MqttListenerContainer}. The connection's callback thread only puts each message into a bounded
 * hand-off queue; {@code concurrency} workers from a {@link TaskExecutor} take them out, invoke the listener (with
 * retries when configured), run the error handler on a failure, and acknowledge. Pausing stops the workers taking;
 * stopping stops the taking of new messages, lets the invocations in progress finish, and leaves what was still
 * queued unacknowledged for the broker to deliver again.
 * <p>
 * When the queue is full the callback thread waits: on a dedicated connection that thread carries nothing but this
 * container's messages. At QoS 1/2 with acknowledgement after processing, the broker's in-flight window bounds what
 * it sends before the first acknowledgement, so the queue rarely fills.
 */
final class ListenerContainer implements MqttListenerContainer {

	private static final Logger logger = LoggerFactory.getLogger(ListenerContainer.class);

	/** How often a waiting worker or callback thread looks whether the container stopped. */
	private static final long POLL_MILLIS = 100;

	private final MqttListenerEndpoint endpoint;

	private final MqttConnection connection;

	private final boolean ownsConnection;

	private final MessagingListenerAdapter adapter;

	private final List<MqttListenerErrorHandler> errorHandlers;

	private final @Nullable RetryTemplate retry;

	private final AckMode ackMode;

	private final TaskExecutor executor;

	private final ListenerObserver observer;

	/** Observes each invocation, or {@code null} when observation is off. */
	private final @Nullable ListenerObservation observation;

	private final Duration stopTimeout;

	private final BlockingQueue<Delivery> queue;

	private final Object lifecycleLock = new Object();

	private final Object pauseLock = new Object();

	private final List<MqttSubscription> subscriptions = new ArrayList<>();

	/** One handler for all of the endpoint's filters, so a message matching several is processed once. */
	private final MessageHandler handler = this::onMessage;

	private volatile State state = State.STOPPED;

	/** Whether the callback thread may still hand messages over (false from the moment stop begins). */
	private volatile boolean accepting;

	/** Counted down by each worker as it ends. */
	private volatile CountDownLatch workersDone = new CountDownLatch(0);

	ListenerContainer(MqttListenerEndpoint endpoint, MqttConnection connection, boolean ownsConnection,
			MessagingListenerAdapter adapter, List<MqttListenerErrorHandler> errorHandlers, @Nullable RetryTemplate retry,
			AckMode ackMode, int queueCapacity, TaskExecutor executor, ListenerObserver observer,
			@Nullable ListenerObservation observation, Duration stopTimeout) {
		this.endpoint = endpoint;
		this.connection = connection;
		this.ownsConnection = ownsConnection;
		this.adapter = adapter;
		this.errorHandlers = List.copyOf(errorHandlers);
		this.retry = retry;
		this.ackMode = ackMode;
		this.executor = executor;
		this.observer = observer;
		this.observation = observation;
		this.stopTimeout = stopTimeout;
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
	}

	@Override
	public MqttListenerEndpoint endpoint() {
		return this.endpoint;
	}

	@Override
	public State state() {
		return this.state;
	}

	@Override
	public MqttConnection connection() {
		return this.connection;
	}

	@Override
	public int queued() {
		return this.queue.size();
	}

	@Override
	public boolean isAutoStartup() {
		return this.endpoint.autoStartup();
	}

	@Override
	public boolean isRunning() {
		return this.state != State.STOPPED;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.state != State.STOPPED) {
				return;
			}
			this.accepting = true;
			this.state = State.RUNNING;
			int workers = this.endpoint.concurrency();
			this.workersDone = new CountDownLatch(workers);
			CountDownLatch done = this.workersDone;
			for (int i = 0; i < workers; i++) {
				this.executor.execute(() -> work(done));
			}
			// A dedicated connection keeps its subscriptions across a stop: it only disconnects, so a persistent
			// session goes on collecting messages for the listener. A shared one unsubscribes on stop: it must not
			// hold messages nobody takes.
			if (this.subscriptions.isEmpty()) {
				for (TopicTemplate template : this.endpoint.topicTemplates()) {
					this.subscriptions.add(this.connection.subscribe(this.endpoint.subscriptionFilter(template),
							this.endpoint.qos(), this.handler));
				}
			}
			if (this.ownsConnection && this.connection instanceof Lifecycle lifecycle) {
				lifecycle.start();
			}
		}
	}

	@Override
	public CompletableFuture<Void> subscribed() {
		List<MqttSubscription> current;
		synchronized (this.lifecycleLock) {
			if (this.state == State.STOPPED) {
				return CompletableFuture
					.failedFuture(new IllegalStateException("MQTT listener '" + this.endpoint.id() + "' is stopped"));
			}
			current = List.copyOf(this.subscriptions);
		}
		List<CompletableFuture<Integer>> answers = current.stream().map(MqttSubscription::answered).toList();
		return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
			List<String> refused = new ArrayList<>();
			for (int i = 0; i < current.size(); i++) {
				int answer = answers.get(i).join();
				if (answer < 0 || answer > 2) {
					refused.add("'" + current.get(i).topicFilter() + "' (reason code 0x" + Integer.toHexString(answer)
							+ ")");
				}
			}
			if (!refused.isEmpty()) {
				throw new IllegalStateException("the broker refused the subscription to " + String.join(", ", refused));
			}
		});
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			if (!stopped.await(this.stopTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
				logger.warn("MQTT listener '{}' did not stop within {} ms", this.endpoint.id(),
						this.stopTimeout.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		CountDownLatch done;
		synchronized (this.lifecycleLock) {
			if (this.state == State.STOPPED) {
				callback.run();
				return;
			}
			this.accepting = false;
			this.state = State.STOPPED;
			done = this.workersDone;
		}
		synchronized (this.pauseLock) {
			this.pauseLock.notifyAll();
		}
		Thread waiter = new Thread(() -> {
			try {
				// The invocations in progress finish and acknowledge; nothing else is taken from the queue.
				if (!done.await(this.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
					logger.warn("MQTT listener '{}': invocations still running after {} ms; their messages stay "
							+ "unacknowledged", this.endpoint.id(), this.stopTimeout.toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			int left = this.queue.size();
			this.queue.clear();
			if (left > 0) {
				logger.info("MQTT listener '{}' stopped with {} message(s) not processed; they are not acknowledged "
						+ "and the broker delivers them again to a persistent session", this.endpoint.id(), left);
			}
			closeReceiving();
			callback.run();
		}, "mqtt-listener-" + this.endpoint.id() + "-stop");
		waiter.setDaemon(true);
		waiter.start();
	}

	private void closeReceiving() {
		synchronized (this.lifecycleLock) {
			if (this.state != State.STOPPED) {
				// Started again meanwhile.
				return;
			}
			if (this.ownsConnection) {
				if (this.connection instanceof Lifecycle lifecycle) {
					lifecycle.stop();
				}
			}
			else {
				this.subscriptions.forEach(MqttSubscription::cancel);
				this.subscriptions.clear();
			}
		}
	}

	@Override
	public void pause() {
		if (this.state == State.RUNNING) {
			this.state = State.PAUSED;
		}
	}

	@Override
	public void resume() {
		if (this.state == State.PAUSED) {
			this.state = State.RUNNING;
			synchronized (this.pauseLock) {
				this.pauseLock.notifyAll();
			}
		}
	}

	@Override
	public int getPhase() {
		return MqttListenerEndpointRegistry.PHASE;
	}

	/** On the connection's callback thread. */
	private void onMessage(ReceivedMessage message, Runnable acknowledgement) {
		TopicTemplate template = matching(message.topic());
		if (template == null) {
			acknowledgement.run();
			return;
		}
		Runnable ack = acknowledgement;
		if (this.ackMode == AckMode.ON_RECEIPT) {
			acknowledgement.run();
			ack = () -> {
			};
		}
		Delivery delivery = new Delivery(message, template, ack);
		try {
			while (this.accepting) {
				if (this.queue.offer(delivery, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// Stopping: neither processed nor acknowledged; the broker keeps it for the session.
	}

	private @Nullable TopicTemplate matching(String topic) {
		for (TopicTemplate template : this.endpoint.topicTemplates()) {
			if (template.matches(topic)) {
				return template;
			}
		}
		return null;
	}

	/** A worker: takes messages until the container stops. */
	private void work(CountDownLatch done) {
		try {
			while (this.state != State.STOPPED) {
				if (!awaitRunning()) {
					return;
				}
				Delivery delivery = this.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
				if (delivery == null) {
					continue;
				}
				// Taken just as the container paused (it is processed, first, on resume) or stopped (it is left
				// unacknowledged, like the rest of the queue).
				if (!awaitRunning()) {
					return;
				}
				process(delivery);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			done.countDown();
		}
	}

	/** @return {@code false} when the container stopped while paused */
	private boolean awaitRunning() throws InterruptedException {
		if (this.state != State.PAUSED) {
			return this.state != State.STOPPED;
		}
		synchronized (this.pauseLock) {
			while (this.state == State.PAUSED) {
				this.pauseLock.wait(POLL_MILLIS);
			}
		}
		return this.state != State.STOPPED;
	}

	private void process(Delivery delivery) {
		long started = System.nanoTime();
		Throwable failure = (this.observation != null)
				? this.observation.observe(this.endpoint, delivery.message(), () -> invoke(delivery))
				: invoke(delivery);
		this.observer.invoked(this.endpoint.id(), Duration.ofNanos(System.nanoTime() - started), failure);
		if (failure == null || handled(delivery.message(), failure)) {
			delivery.acknowledge();
		}
	}

	/** @return what the last attempt threw, or {@code null} on success */
	private @Nullable Throwable invoke(Delivery delivery) {
		try {
			if (this.retry == null) {
				this.adapter.invoke(delivery.message(), delivery.template());
			}
			else {
				this.retry.execute(() -> {
					this.adapter.invoke(delivery.message(), delivery.template());
					return delivery;
				});
			}
			return null;
		}
		catch (RetryException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (Exception ex) {
			return ex;
		}
	}

	/** Run the error handlers in order; @return whether all of them completed */
	private boolean handled(ReceivedMessage message, Throwable failure) {
		for (MqttListenerErrorHandler handler : this.errorHandlers) {
			try {
				handler.handleError(this.endpoint.id(), message, failure);
			}
			catch (Exception ex) {
				logger.error("MQTT listener '{}': error handling failed on a message from '{}'; it stays "
						+ "unacknowledged and the broker delivers it again: {}", this.endpoint.id(), message.topic(),
						ex.toString());
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return "MqttListenerContainer[" + this.endpoint.id() + " " + this.endpoint.topicFilters() + " on "
				+ this.connection.name() + ", " + this.state + "]";
	}

	/** A received message on its way to a worker; acknowledged at most once. */
	private static final class Delivery {

		private final ReceivedMessage message;

		private final TopicTemplate template;

		private final Runnable acknowledgement;

		private final AtomicBoolean acknowledged = new AtomicBoolean();

		Delivery(ReceivedMessage message, TopicTemplate template, Runnable acknowledgement) {
			this.message = message;
			this.template = template;
			this.acknowledgement = acknowledgement;
		}

		ReceivedMessage message() {
			return this.message;
		}

		TopicTemplate template() {
			return this.template;
		}

		void acknowledge() {
			if (this.acknowledged.compareAndSet(false, true)) {
				this.acknowledgement.run();
			}
		}

	}

}
