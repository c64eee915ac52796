package dev.mqttboot.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how late this JVM's threads were woken while it watched: a thread sleeps in short steps and records the
 * longest overshoot. A test that bounds how soon something happens adds this to its bound, so that a machine that
 * stalled (a loaded CI runner, a GC pause) cannot fail it, while a broker that is simply late still does.
 */
public final class SchedulingStalls implements AutoCloseable {

	private static final long STEP_MILLIS = 10;

	private static final long STEP_NANOS = Duration.ofMillis(STEP_MILLIS).toNanos();

	private final AtomicLong longest = new AtomicLong();

	private final Thread watcher;

	private volatile boolean running = true;

	private SchedulingStalls() {
		this.watcher = new Thread(this::run, "scheduling-stalls");
		this.watcher.setDaemon(true);
		this.watcher.start();
	}

	/** @return a watch that runs until closed */
	public static SchedulingStalls watch() {
		return new SchedulingStalls();
	}

	private void run() {
		while (this.running) {
			long before = System.nanoTime();
			try {
				Thread.sleep(STEP_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
			long late = System.nanoTime() - before - STEP_NANOS;
			this.longest.accumulateAndGet(late, Math::max);
		}
	}

	/** @return the longest time a sleeping thread was woken late so far */
	public Duration longest() {
		return Duration.ofNanos(Math.max(0, this.longest.get()));
	}

	@Override
	public void close() {
		this.running = false;
		this.watcher.interrupt();
	}

}
