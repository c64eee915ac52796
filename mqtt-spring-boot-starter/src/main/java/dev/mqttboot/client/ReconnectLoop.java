package dev.mqttboot.client;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs connect attempts on one thread of its own: the first at once, each next one after a failure or a lost
 * connection, with exponential backoff and jitter ({@link ReconnectBackoff}). A successful connect resets the
 * backoff. It can be started again after a stop (on a new thread). One lock guards its state.
 */
final class ReconnectLoop {

	private final Supplier<ScheduledExecutorService> schedulers;

	private final ReconnectBackoff backoff;

	private final Runnable attempt;

	private final Object lock = new Object();

	/** Attempts since the last successful connect. Guarded by {@link #lock}. */
	private int attempts;

	/** Guarded by {@link #lock}. */
	private boolean running;

	/** Guarded by {@link #lock}. */
	private @Nullable ScheduledExecutorService scheduler;

	ReconnectLoop(Supplier<ScheduledExecutorService> schedulers, ReconnectBackoff backoff, Runnable attempt) {
		this.schedulers = schedulers;
		this.backoff = backoff;
		this.attempt = attempt;
	}

	/** Make the first attempt now. */
	void start() {
		ScheduledExecutorService current;
		synchronized (this.lock) {
			this.running = true;
			this.attempts = 0;
			if (this.scheduler == null) {
				this.scheduler = this.schedulers.get();
			}
			current = this.scheduler;
		}
		current.execute(this.attempt);
	}

	/** An attempt succeeded: the next loss starts the backoff from the beginning. */
	void connected() {
		synchronized (this.lock) {
			this.attempts = 0;
		}
	}

	/**
	 * An attempt failed or the connection was lost: schedule the next attempt.
	 * @return the attempt number and its delay, or {@code null} when stopped
	 */
	@Nullable Scheduled retry() {
		Scheduled next;
		ScheduledExecutorService current;
		synchronized (this.lock) {
			if (!this.running || this.scheduler == null) {
				return null;
			}
			int number = ++this.attempts;
			next = new Scheduled(number, this.backoff.delay(number));
			current = this.scheduler;
		}
		try {
			current.schedule(this.attempt, next.delay().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
		return next;
	}

	/** No more attempts. */
	void stop() {
		ScheduledExecutorService current;
		synchronized (this.lock) {
			this.running = false;
			current = this.scheduler;
			this.scheduler = null;
		}
		if (current != null) {
			current.shutdownNow();
		}
	}

	/**
	 * A scheduled attempt.
	 * @param attempt its number since the last successful connect
	 * @param delay how long until it runs
	 */
	record Scheduled(int attempt, Duration delay) {
	}

}
