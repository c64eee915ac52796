package dev.mqttboot.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.client.MessageHandler;
import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.MqttSubscription;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.client.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * One {@link MqttListener} method at run time: its subscriptions on a client connection, its own worker(s), and the
 * invocation of the method for every matching message. With concurrency 1 a single worker keeps arrival order. The
 * workers' queue is bounded: when it is full, the connection's callback thread waits, and so does the broker.
 */
public final class MqttListenerEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(MqttListenerEndpoint.class);

	/** The state of an endpoint. */
	public enum State {

		/** Not subscribed. */
		STOPPED,

		/** Subscribed and delivering. */
		RUNNING,

		/** Subscribed; messages wait (in the bounded queue, then at the broker) until resumed. */
		PAUSED

	}

	private final String id;

	private final List<TopicTemplate> topics;

	private final int qos;

	private final String client;

	private final String group;

	private final int concurrency;

	private final boolean autoStartup;

	private final InvocableHandlerMethod handlerMethod;

	private final MqttListenerErrorHandler errorHandler;

	private final String sendTo;

	private final List<MqttSubscription> subscriptions = new ArrayList<>();

	private final Object pauseLock = new Object();

	/** One handler for all of this endpoint's filters, so a message matching several is processed once. */
	private final MessageHandler handler = this::onMessage;

	private volatile State state = State.STOPPED;

	private ThreadPoolExecutor workers;

	private MqttConnection connection;

	private MqttOperations operations;

	private String deadLetterTopic;

	private int queueCapacity;

	private AckMode ackMode = AckMode.AFTER_PROCESSING;

	private List<ListenerObserver> observers = List.of();

	MqttListenerEndpoint(String id, List<TopicTemplate> topics, int qos, String client, String group, int concurrency,
			boolean autoStartup, InvocableHandlerMethod handlerMethod, MqttListenerErrorHandler errorHandler,
			String sendTo) {
		this.id = id;
		this.topics = List.copyOf(topics);
		this.qos = qos;
		this.client = client;
		this.group = group;
		this.concurrency = concurrency;
		this.autoStartup = autoStartup;
		this.handlerMethod = handlerMethod;
		this.errorHandler = errorHandler;
		this.sendTo = sendTo;
	}

	void bind(MqttConnection connection, MqttOperations operations, String deadLetterTopic, int queueCapacity,
			AckMode ackMode, List<ListenerObserver> observers) {
		this.ackMode = ackMode;
		this.observers = observers;
		this.connection = connection;
		this.operations = operations;
		this.deadLetterTopic = deadLetterTopic;
		this.queueCapacity = queueCapacity;
	}

	/** @return the endpoint id */
	public String id() {
		return this.id;
	}

	/** @return the topic templates as configured */
	public List<String> topics() {
		return this.topics.stream().map(TopicTemplate::template).toList();
	}

	/** @return the filters subscribed to (with the {@code $share} prefix for a group) */
	public List<String> topicFilters() {
		return this.topics.stream().map(this::subscriptionFilter).toList();
	}

	/** @return the subscription QoS */
	public int qos() {
		return this.qos;
	}

	/** @return the client connection name */
	public String client() {
		return this.client;
	}

	/** @return the shared-subscription group, or empty */
	public String group() {
		return this.group;
	}

	/** @return the current state */
	public State state() {
		return this.state;
	}

	boolean isAutoStartup() {
		return this.autoStartup;
	}

	private String subscriptionFilter(TopicTemplate template) {
		return this.group.isEmpty() ? template.filter() : "$share/" + this.group + "/" + template.filter();
	}

	synchronized void start() {
		if (this.state != State.STOPPED) {
			return;
		}
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(this.concurrency, this.concurrency, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(this.queueCapacity), (runnable) -> {
					Thread thread = new Thread(runnable, "mqtt-listener-" + this.id + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, (runnable, executor) -> {
					// Full queue: make the connection's callback thread wait (backpressure), never drop.
					try {
						if (!executor.isShutdown()) {
							executor.getQueue().put(runnable);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new RejectedExecutionException("interrupted", ex);
					}
				});
		this.state = State.RUNNING;
		for (TopicTemplate template : this.topics) {
			this.subscriptions.add(this.connection.subscribe(subscriptionFilter(template), this.qos, this.handler));
		}
	}

	synchronized void stop() {
		if (this.state == State.STOPPED) {
			return;
		}
		this.subscriptions.forEach(MqttSubscription::cancel);
		this.subscriptions.clear();
		this.state = State.STOPPED;
		synchronized (this.pauseLock) {
			this.pauseLock.notifyAll();
		}
		this.workers.shutdown();
		try {
			this.workers.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void pause() {
		if (this.state == State.RUNNING) {
			this.state = State.PAUSED;
		}
	}

	void resume() {
		if (this.state == State.PAUSED) {
			this.state = State.RUNNING;
			synchronized (this.pauseLock) {
				this.pauseLock.notifyAll();
			}
		}
	}

	private void onMessage(ReceivedMessage message, Runnable acknowledgement) {
		for (TopicTemplate template : this.topics) {
			if (template.matches(message.topic())) {
				ThreadPoolExecutor executor = this.workers;
				if (executor == null || executor.isShutdown()) {
					// Stopped: not processed, not acknowledged; the broker keeps it for the session.
					return;
				}
				if (this.ackMode == AckMode.ON_RECEIPT) {
					acknowledgement.run();
				}
				executor.execute(() -> {
					try {
						process(message, template);
					}
					finally {
						acknowledgement.run();
					}
				});
				return;
			}
		}
		acknowledgement.run();
	}

	private void process(ReceivedMessage received, TopicTemplate template) {
		awaitResume();
		if (this.state == State.STOPPED) {
			return;
		}
		Map<String, String> variables = template.extract(received.topic());
		long started = System.nanoTime();
		try {
			Object result = this.handlerMethod.invoke(toMessage(received, variables));
			observe(started, true);
			if (result != null) {
				reply(received, variables, result);
			}
		}
		catch (Exception ex) {
			observe(started, false);
			Throwable error = (ex instanceof java.lang.reflect.InvocationTargetException ite) ? ite.getCause() : ex;
			try {
				this.errorHandler.handleError(this.id, received, error);
			}
			catch (RuntimeException handlerFailure) {
				logger.error("The error handler of MQTT listener '{}' failed", this.id, handlerFailure);
			}
			deadLetter(received);
		}
	}

	private void observe(long startedNanos, boolean success) {
		java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
		for (ListenerObserver observer : this.observers) {
			observer.invoked(this.id, elapsed, success);
		}
	}

	private void awaitResume() {
		if (this.state != State.PAUSED) {
			return;
		}
		synchronized (this.pauseLock) {
			while (this.state == State.PAUSED) {
				try {
					this.pauseLock.wait(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private static Message<byte[]> toMessage(ReceivedMessage received, Map<String, String> variables) {
		Map<String, Object> headers = new HashMap<>(16);
		headers.put(MqttMessageHeaders.TOPIC, received.topic());
		headers.put(MqttMessageHeaders.QOS, received.qos());
		headers.put(MqttMessageHeaders.RETAINED, received.retained());
		headers.put(MqttMessageHeaders.DUPLICATE, received.duplicate());
		headers.put(MqttMessageHeaders.MESSAGE_ID, received.messageId());
		headers.put(MqttMessageHeaders.USER_PROPERTIES, received.userProperties());
		headers.put(MqttMessageHeaders.TOPIC_VARIABLES, variables);
		if (received.responseTopic() != null) {
			headers.put(MqttMessageHeaders.RESPONSE_TOPIC, received.responseTopic());
		}
		if (received.correlationData() != null) {
			headers.put(MqttMessageHeaders.CORRELATION_DATA, received.correlationData());
		}
		if (received.contentType() != null) {
			headers.put(MqttMessageHeaders.CONTENT_TYPE, received.contentType());
		}
		return MessageBuilder.createMessage(received.payload(), new ReceivedHeaders(headers));
	}

	/**
	 * Headers of a received message: an MQTT message has its own identity (topic and packet id), so no id or
	 * timestamp is generated for each one.
	 */
	private static final class ReceivedHeaders extends MessageHeaders {

		ReceivedHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

	private void reply(ReceivedMessage received, Map<String, String> variables, Object result) {
		PublishOptions.Builder options = PublishOptions.builder().qos(this.qos);
		String topic;
		// As with JMSReplyTo in Spring JMS and the reply-topic header in Spring Kafka: the request's own response topic
		// wins over the listener's default.
		if (received.responseTopic() != null) {
			topic = received.responseTopic();
			if (received.correlationData() != null) {
				options.correlationData(received.correlationData());
			}
		}
		else if (this.sendTo != null) {
			topic = TopicTemplate.expand(this.sendTo, variables);
		}
		else {
			logger.debug("MQTT listener '{}' returned a value but has no @SendTo and the request no response topic",
					this.id);
			return;
		}
		this.operations.publish(topic, result, options.build()).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.warn("MQTT listener '{}' could not publish its reply to '{}': {}", this.id, topic,
						failure.getMessage());
			}
		});
	}

	private void deadLetter(ReceivedMessage received) {
		if (this.deadLetterTopic == null) {
			return;
		}
		String topic = this.deadLetterTopic + "/" + received.topic();
		this.operations.publish(topic, received.payload(), PublishOptions.qos(1)).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.warn("MQTT listener '{}' could not send a failed message to '{}': {}", this.id, topic,
						failure.getMessage());
			}
		});
	}

	@Override
	public String toString() {
		return "MqttListenerEndpoint[" + this.id + " " + topicFilters() + " qos " + this.qos + " on '" + this.client
				+ "', " + this.state + "]";
	}

}
