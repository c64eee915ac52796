package dev.mqttboot.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Observes listener invocations (metrics use it). Implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface ListenerObserver {

	/**
	 * A listener method was invoked for one message.
	 * @param listenerId the endpoint id
	 * @param elapsed how long the invocation took (conversion and retries included)
	 * @param failure what the last attempt threw, or {@code null} when it returned normally
	 */
	void invoked(String listenerId, Duration elapsed, @Nullable Throwable failure);

}
