package dev.mqttboot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import dev.mqttboot.core.TopicSyntax;
import dev.mqttboot.test.MqttTestClient.Received;
import org.jspecify.annotations.Nullable;

/**
 * What a test client has received, in arrival order, and the gate that holds the client's reader while a test wants
 * it to stop reading.
 */
final class ReceivedMessages {

	private final List<Received> received = new ArrayList<>();

	private final Map<String, Integer> counts = new HashMap<>();

	private volatile @Nullable Semaphore gate;

	/**
	 * Record a message; blocks first while reading is paused (Paho reads nothing more from the socket meanwhile).
	 * @param message the message
	 * @throws InterruptedException when the client is closed while paused
	 */
	void arrived(Received message) throws InterruptedException {
		Semaphore gate = this.gate;
		if (gate != null) {
			gate.acquire();
			gate.release();
		}
		synchronized (this.received) {
			this.received.add(message);
			this.counts.merge(message.text().strip(), 1, Integer::sum);
			this.received.notifyAll();
		}
	}

	void pause() {
		this.gate = new Semaphore(0);
	}

	void resume() {
		Semaphore gate = this.gate;
		this.gate = null;
		if (gate != null) {
			gate.release();
		}
	}

	List<Received> snapshot() {
		synchronized (this.received) {
			return List.copyOf(this.received);
		}
	}

	Map<String, Integer> counts() {
		synchronized (this.received) {
			return Map.copyOf(this.counts);
		}
	}

	List<Received> await(String filter, int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.received) {
			while (true) {
				List<Received> matching = this.received.stream()
					.filter((message) -> TopicSyntax.matches(filter, message.topic()))
					.toList();
				if (matching.size() >= count) {
					return matching.subList(0, count);
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("Expected " + count + " message(s) on '" + filter + "' within " + timeout
							+ " but got " + matching.size() + ": " + matching);
				}
				try {
					this.received.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("Interrupted while waiting for messages on '" + filter + "'", ex);
				}
			}
		}
	}

}
