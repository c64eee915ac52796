package dev.mqttboot.listener;

import dev.mqttboot.observation.DefaultMqttListenerObservationConvention;
import dev.mqttboot.observation.MqttListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttConnection;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

import org.jspecify.annotations.Nullable;

/**
 * The starter's {@link MqttListenerContainerFactory}, configured from {@code mqtt.listener.*} by the
 * auto-configuration and adjustable by {@link MqttListenerContainerFactoryCustomizer}s. Each container gets:
 * <ul>
 * <li>its connection: a dedicated one by default ({@link ListenerIsolation}), else the client connection itself;</li>
 * <li>its workers: from the task executor set here, or else from a {@link SimpleAsyncTaskExecutor} of its own
 * (threads {@code mqtt-listener-<id>-N}, virtual when asked for);</li>
 * <li>its failure handling: the retry policy (none by default; conversion failures are never retried), then the
 * endpoint's error handler or this factory's, then the dead-letter recoverer if one is set; the message is
 * acknowledged once all of them completed.</li>
 * </ul>
 */
public class DefaultMqttListenerContainerFactory implements MqttListenerContainerFactory {

	private final MqttConnections connections;

	private final MqttOperations operations;

	private final List<ListenerObserver> observers = new CopyOnWriteArrayList<>();

	private ListenerIsolation isolation = ListenerIsolation.DEDICATED;

	private AckMode ackMode = AckMode.AFTER_PROCESSING;

	private int queueCapacity = 1000;

	private MqttListenerErrorHandler errorHandler = new LoggingErrorHandler();

	private @Nullable MqttListenerErrorHandler recoverer;

	private @Nullable RetryPolicy retryPolicy;

	private @Nullable TaskExecutor taskExecutor;

	private boolean virtualThreads;

	private Duration stopTimeout = Duration.ofSeconds(30);

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private boolean observationEnabled;

	private @Nullable MqttListenerObservationConvention observationConvention;

	private boolean embeddedBrokerSharedSubscriptions;

	/**
	 * Create a factory.
	 * @param connections the client connections (and the source of dedicated ones)
	 * @param operations publishes replies
	 */
	public DefaultMqttListenerContainerFactory(MqttConnections connections, MqttOperations operations) {
		this.connections = connections;
		this.operations = operations;
	}

	/** @param isolation which connection each container receives on */
	public void setIsolation(ListenerIsolation isolation) {
		this.isolation = isolation;
	}

	/** @param ackMode when QoS 1/2 messages are acknowledged */
	public void setAckMode(AckMode ackMode) {
		this.ackMode = ackMode;
	}

	/** @param queueCapacity how many received messages wait per container for a worker */
	public void setQueueCapacity(int queueCapacity) {
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("queue capacity " + queueCapacity + " is below 1");
		}
		this.queueCapacity = queueCapacity;
	}

	/** @param errorHandler the error handler of endpoints that name none */
	public void setErrorHandler(MqttListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/** @param recoverer runs after the error handler, e.g. a {@link DeadLetterPublishingRecoverer}; or {@code null} */
	public void setRecoverer(@Nullable MqttListenerErrorHandler recoverer) {
		this.recoverer = recoverer;
	}

	/** @param retryPolicy how a failed invocation is retried before the error handler; {@code null} for never */
	public void setRetryPolicy(@Nullable RetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
	}

	/** @param taskExecutor where every container's workers run; {@code null} for an executor per container */
	public void setTaskExecutor(@Nullable TaskExecutor taskExecutor) {
		this.taskExecutor = taskExecutor;
	}

	/** @param virtualThreads whether a container's own executor uses virtual threads */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/** @param stopTimeout how long a stopping container lets its invocations in progress finish */
	public void setStopTimeout(Duration stopTimeout) {
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Observe each invocation with Micrometer Observation (off by default, like Spring Kafka's listeners); needs an
	 * {@link ObservationRegistry}.
	 * @param observationEnabled whether invocations are observed
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	/** @param observationRegistry where invocation observations go */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
	}

	/** @param observationConvention replaces {@link DefaultMqttListenerObservationConvention}; {@code null} for it */
	public void setObservationConvention(@Nullable MqttListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * @param supported whether the embedded broker's engine serves shared subscriptions, so that a listener with a
	 * group may receive through a connection to it (Artemis does, Moquette does not)
	 */
	public void setEmbeddedBrokerSharedSubscriptions(boolean supported) {
		this.embeddedBrokerSharedSubscriptions = supported;
	}

	/**
	 * Observe the invocations of every container this factory creates (metrics use it).
	 * @param observer the observer
	 */
	public void addObserver(ListenerObserver observer) {
		this.observers.add(observer);
	}

	/** @return the isolation in effect */
	public ListenerIsolation getIsolation() {
		return this.isolation;
	}

	@Override
	public MqttListenerContainer createContainer(MqttListenerEndpoint endpoint) {
		MqttConnection base;
		try {
			base = this.connections.get(endpoint.client());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid @MqttListener '" + endpoint.id() + "': " + ex.getMessage(), ex);
		}
		if (!endpoint.group().isEmpty() && base.targetsEmbeddedBroker() && !this.embeddedBrokerSharedSubscriptions) {
			throw new IllegalStateException("Invalid @MqttListener '" + endpoint.id() + "': group '" + endpoint.group()
					+ "' needs shared subscriptions ($share/...), which the embedded broker's engine (Moquette) "
					+ "does not support; set mqtt.broker.engine=artemis, connect client '" + endpoint.client()
					+ "' to a broker that does (mqtt.client.url), or remove the group");
		}
		boolean dedicated = this.isolation == ListenerIsolation.DEDICATED && this.connections.supportsDedicated();
		MqttConnection connection = dedicated ? this.connections.dedicated(endpoint.client(), endpoint.id()) : base;
		List<MqttListenerErrorHandler> errorHandlers = new ArrayList<>();
		errorHandlers.add((endpoint.errorHandler() != null) ? endpoint.errorHandler() : this.errorHandler);
		if (this.recoverer != null) {
			errorHandlers.add(this.recoverer);
		}
		return new ListenerContainer(endpoint, connection, dedicated,
				new MessagingListenerAdapter(endpoint, this.operations.forClient(endpoint.client())), errorHandlers,
				retryTemplate(), this.ackMode, this.queueCapacity, executor(endpoint), this::invoked, observation(),
				this.stopTimeout);
	}

	private @Nullable ListenerObservation observation() {
		if (!this.observationEnabled || this.observationRegistry.isNoop()) {
			return null;
		}
		return new ListenerObservation(this.observationRegistry, this.observationConvention);
	}

	private void invoked(String listenerId, Duration elapsed, @Nullable Throwable failure) {
		for (ListenerObserver observer : this.observers) {
			observer.invoked(listenerId, elapsed, failure);
		}
	}

	private @Nullable RetryTemplate retryTemplate() {
		if (this.retryPolicy == null) {
			return null;
		}
		return new RetryTemplate(this.retryPolicy);
	}

	private TaskExecutor executor(MqttListenerEndpoint endpoint) {
		if (this.taskExecutor != null) {
			return this.taskExecutor;
		}
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("mqtt-listener-" + endpoint.id() + "-");
		executor.setVirtualThreads(this.virtualThreads);
		executor.setDaemon(true);
		return executor;
	}

	/**
	 * A retry policy that never retries what another attempt cannot fix: a payload that does not convert, an argument
	 * that cannot be resolved.
	 * @param maxRetries retries after the first attempt
	 * @param delay the first delay
	 * @param multiplier how each next delay grows
	 * @param maxDelay the longest delay
	 * @return the policy
	 */
	public static RetryPolicy retryPolicy(long maxRetries, Duration delay, double multiplier, Duration maxDelay) {
		return RetryPolicy.builder()
			.maxRetries(maxRetries)
			.delay(delay)
			.multiplier(multiplier)
			.maxDelay(maxDelay)
			.excludes(MessageConversionException.class, MethodArgumentResolutionException.class)
			.build();
	}

}
