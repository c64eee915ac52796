package dev.mqttboot.brokerservice;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.test.MqttTestClient;

import static org.awaitility.Awaitility.await;

/**
 * A steady QoS 1 stream from one test client, {@code prefix + n} to one topic at a fixed period with at most
 * {@value #WINDOW} unacknowledged, recording which messages the broker acknowledged. While its client is disconnected
 * it skips its turns; a message whose delivery failed is not acknowledged and not sent again (the next one gets the
 * next number).
 */
final class SteadyPublisher implements AutoCloseable {

	private static final int WINDOW = 20;

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final Semaphore window = new Semaphore(WINDOW);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private SteadyPublisher() {
	}

	/**
	 * Start publishing.
	 * @param client the client to publish with
	 * @param topic the topic
	 * @param prefix what each payload starts with
	 * @param periodMillis the time between two messages
	 * @return the running publisher
	 */
	static SteadyPublisher start(MqttTestClient client, String topic, String prefix, long periodMillis) {
		SteadyPublisher publisher = new SteadyPublisher();
		AtomicInteger next = new AtomicInteger();
		publisher.timer.scheduleAtFixedRate(() -> {
			if (!client.isConnected() || !publisher.window.tryAcquire()) {
				return;
			}
			String payload = prefix + next.getAndIncrement();
			client.publishAsync(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false)
				.whenComplete((ignored, ex) -> {
					if (ex == null) {
						publisher.acknowledged.add(payload);
					}
					publisher.window.release();
				});
		}, 0, periodMillis, TimeUnit.MILLISECONDS);
		return publisher;
	}

	/** @return the messages the broker acknowledged (PUBACK) so far */
	Set<String> acknowledged() {
		return Set.copyOf(this.acknowledged);
	}

	/** Stop publishing and wait for the outstanding acknowledgements (or their failure). */
	void stop() throws InterruptedException {
		this.timer.shutdown();
		this.timer.awaitTermination(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.window.availablePermits() == WINDOW);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
