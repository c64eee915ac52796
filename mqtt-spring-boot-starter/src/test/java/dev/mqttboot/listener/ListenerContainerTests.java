package dev.mqttboot.listener;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener container against a fake connection: exactly one acknowledgement per message in each ack mode, none
 * for a message that was not processed, pause and resume in order, retries before the error handler.
 */
class ListenerContainerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final FakeConnection connection = new FakeConnection();

	private final MqttConnections connections = new MqttConnections(Map.of("default", this.connection));

	private final DefaultMqttListenerContainerFactory factory = new DefaultMqttListenerContainerFactory(
			this.connections, new MqttTemplate(this.connections, new StringMessageConverter()));

	private final Worker worker = new Worker();

	private MqttListenerContainer container(String method, MqttListenerErrorHandler errorHandler) {
		Method target = ReflectionUtils.findMethod(Worker.class, method, String.class);
		DefaultMessageHandlerMethodFactory methods = new DefaultMessageHandlerMethodFactory();
		methods.setBeanFactory(new DefaultListableBeanFactory());
		methods.setMessageConverter(new StringMessageConverter());
		methods.afterPropertiesSet();
		MqttListenerEndpoint endpoint = new MqttListenerEndpoint(method, List.of(TopicTemplate.parse("jobs/#")), 1,
				"default", "", 1, true, methods.createInvocableHandlerMethod(this.worker, target), errorHandler, null);
		this.factory.setStopTimeout(Duration.ofSeconds(5));
		return this.factory.createContainer(endpoint);
	}

	@Test
	void eachProcessedMessageIsAcknowledgedExactlyOnceAfterTheListenerReturned() {
		MqttListenerContainer container = container("work", null);
		container.start();
		int first = this.connection.deliver("jobs/1", "one");
		int second = this.connection.deliver("jobs/2", "two");
		await().atMost(WAIT).until(() -> this.connection.acknowledgements(second) == 1);
		assertThat(this.worker.done).containsExactly("one", "two");
		assertThat(this.connection.acknowledgements(first)).isEqualTo(1);
		container.stop();
		assertThat(this.connection.acknowledgements(first)).isEqualTo(1);
		assertThat(this.connection.acknowledgements(second)).isEqualTo(1);
	}

	@Test
	void onReceiptAcknowledgesOnceBeforeProcessing() {
		this.factory.setAckMode(AckMode.ON_RECEIPT);
		this.worker.gate = new CountDownLatch(1);
		MqttListenerContainer container = container("work", null);
		container.start();
		int id = this.connection.deliver("jobs/1", "one");
		assertThat(this.connection.acknowledgements(id)).isEqualTo(1);
		this.worker.gate.countDown();
		await().atMost(WAIT).until(() -> this.worker.done.contains("one"));
		container.stop();
		assertThat(this.connection.acknowledgements(id)).isEqualTo(1);
	}

	@Test
	void stoppingLetsTheInvocationInProgressFinishAndLeavesTheQueuedOnesUnacknowledged() throws Exception {
		this.worker.gate = new CountDownLatch(1);
		MqttListenerContainer container = container("work", null);
		container.start();
		int inProgress = this.connection.deliver("jobs/1", "one");
		await().atMost(WAIT).until(() -> this.worker.started.get() == 1);
		int queuedA = this.connection.deliver("jobs/2", "two");
		int queuedB = this.connection.deliver("jobs/3", "three");
		assertThat(container.queued()).isEqualTo(2);
		CountDownLatch stopped = new CountDownLatch(1);
		container.stop(stopped::countDown);
		int afterStop = this.connection.deliver("jobs/4", "four");
		assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).as("waits for the invocation in progress").isFalse();
		this.worker.gate.countDown();
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.worker.done).containsExactly("one");
		assertThat(this.connection.acknowledgements(inProgress)).isEqualTo(1);
		assertThat(this.connection.acknowledgements(queuedA)).isZero();
		assertThat(this.connection.acknowledgements(queuedB)).isZero();
		assertThat(this.connection.acknowledgements(afterStop)).isZero();
		assertThat(container.queued()).isZero();
	}

	@Test
	void aPausedContainerHoldsMessagesUnacknowledgedAndProcessesThemInOrderOnResume() {
		MqttListenerContainer container = container("work", null);
		container.start();
		container.pause();
		int[] ids = new int[5];
		for (int i = 0; i < 5; i++) {
			ids[i] = this.connection.deliver("jobs/" + i, "m" + i);
		}
		assertThat(container.state()).isEqualTo(MqttListenerContainer.State.PAUSED);
		assertThat(this.worker.done).isEmpty();
		assertThat(this.connection.acknowledgements).isEmpty();
		container.resume();
		await().atMost(WAIT).until(() -> this.worker.done.size() == 5);
		assertThat(this.worker.done).containsExactly("m0", "m1", "m2", "m3", "m4");
		await().atMost(WAIT).until(() -> this.connection.acknowledgements(ids[4]) == 1);
		container.stop();
	}

	@Test
	void aFailureIsAcknowledgedOnlyOnceTheErrorHandlerCompleted() {
		List<String> handled = new CopyOnWriteArrayList<>();
		MqttListenerContainer container = container("fail", (id, message, error) -> {
			handled.add(new String(message.payload()));
			if (message.topic().endsWith("keep")) {
				throw new IllegalStateException("dead letter not acknowledged");
			}
		});
		container.start();
		int handledId = this.connection.deliver("jobs/drop", "a");
		int keptId = this.connection.deliver("jobs/keep", "b");
		await().atMost(WAIT).until(() -> handled.size() == 2);
		await().atMost(WAIT).until(() -> this.connection.acknowledgements(handledId) == 1);
		container.stop();
		assertThat(this.connection.acknowledgements(keptId)).isZero();
	}

	@Test
	void aFailedInvocationIsRetriedBeforeTheErrorHandler() {
		this.factory.setRetryPolicy(DefaultMqttListenerContainerFactory.retryPolicy(2, Duration.ofMillis(10), 1.0,
				Duration.ofMillis(10)));
		this.worker.failures = new AtomicInteger(2);
		List<String> handled = new CopyOnWriteArrayList<>();
		MqttListenerContainer container = container("flaky", (id, message, error) -> handled.add("handled"));
		container.start();
		int id = this.connection.deliver("jobs/1", "one");
		await().atMost(WAIT).until(() -> this.connection.acknowledgements(id) == 1);
		assertThat(this.worker.attempts.get()).isEqualTo(3);
		assertThat(handled).isEmpty();
		container.stop();
	}

	static class Worker {

		final List<String> done = new CopyOnWriteArrayList<>();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger attempts = new AtomicInteger();

		volatile CountDownLatch gate;

		volatile AtomicInteger failures = new AtomicInteger();

		public void work(String payload) throws InterruptedException {
			this.started.incrementAndGet();
			CountDownLatch current = this.gate;
			if (current != null) {
				current.await(10, TimeUnit.SECONDS);
			}
			this.done.add(payload);
		}

		public void fail(String payload) {
			throw new IllegalStateException("cannot process " + payload);
		}

		public void flaky(String payload) {
			this.attempts.incrementAndGet();
			if (this.failures.getAndDecrement() > 0) {
				throw new IllegalStateException("not yet");
			}
			this.done.add(payload);
		}

	}

}
