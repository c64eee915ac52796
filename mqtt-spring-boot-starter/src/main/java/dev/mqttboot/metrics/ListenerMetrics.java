package dev.mqttboot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mqttboot.listener.ListenerObserver;
import dev.mqttboot.listener.MqttListenerContainer;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;

/**
 * The {@code mqtt.listener.invocations} timer, tagged {@code listener} (the endpoint id), {@code outcome}
 * ({@code success} or {@code failure}) and {@code exception} (the simple class name, {@code none} on success), with a
 * percentile histogram when asked for.
 */
public class ListenerMetrics implements MeterBinder {

	private final MqttListenerEndpointRegistry registry;

	private final boolean histograms;

	/**
	 * Create the binder.
	 * @param registry the listener registry
	 * @param histograms whether the timer publishes a percentile histogram
	 */
	public ListenerMetrics(MqttListenerEndpointRegistry registry, boolean histograms) {
		this.registry = registry;
		this.histograms = histograms;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		Meters meters = new Meters(meterRegistry);
		for (MqttListenerContainer container : this.registry.getListenerContainers()) {
			meters.timer(container.endpoint().id(), null);
		}
		this.registry.addObserver(meters);
	}

	/** The timers of one registry. */
	private final class Meters implements ListenerObserver {

		/** Per listener id, then per exception tag. */
		private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();

		private final MeterRegistry meterRegistry;

		Meters(MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
		}

		private Timer timer(String listener, @Nullable Throwable failure) {
			String exception = ExceptionTag.of(failure);
			return this.timers.computeIfAbsent(listener, (id) -> new ConcurrentHashMap<>())
				.computeIfAbsent(exception, (name) -> Timer.builder("mqtt.listener.invocations")
					.description("@MqttListener invocations, by listener id, outcome and exception")
					.tags("listener", listener, "outcome", (failure == null) ? "success" : "failure", "exception",
							name)
					.publishPercentileHistogram(ListenerMetrics.this.histograms)
					.register(this.meterRegistry));
		}

		@Override
		public void invoked(String listenerId, Duration elapsed, @Nullable Throwable failure) {
			timer(listenerId, failure).record(elapsed);
		}

	}

}
