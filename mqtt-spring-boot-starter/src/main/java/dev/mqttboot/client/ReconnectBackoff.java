package dev.mqttboot.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code min(max, initial * 2^(n-1))}, so clients that lost the same broker do not all come back at once.
 */
final class ReconnectBackoff {

	private final long initialMillis;

	private final long maxMillis;

	ReconnectBackoff(Duration initial, Duration max) {
		this.initialMillis = Math.max(1, initial.toMillis());
		this.maxMillis = Math.max(this.initialMillis, max.toMillis());
	}

	Duration delay(int attempt) {
		long ceiling = this.initialMillis;
		for (int i = 1; i < attempt && ceiling < this.maxMillis; i++) {
			ceiling = Math.min(this.maxMillis, ceiling * 2);
		}
		long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
		return Duration.ofMillis(Math.max(1, jittered));
	}

}
