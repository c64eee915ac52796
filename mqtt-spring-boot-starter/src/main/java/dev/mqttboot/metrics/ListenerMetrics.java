package dev.mqttboot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mqttboot.listener.ListenerObserver;
import dev.mqttboot.listener.MqttListenerEndpoint;
import dev.mqttboot.listener.MqttListenerEndpointRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@code mqtt.listener.invocations} timer, tagged {@code listener} (the endpoint id) and {@code outcome}.
 */
public class ListenerMetrics implements MeterBinder {

	private final MqttListenerEndpointRegistry registry;

	/**
	 * Create the binder.
	 * @param registry the listener registry
	 */
	public ListenerMetrics(MqttListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		Meters meters = new Meters(meterRegistry);
		for (MqttListenerEndpoint endpoint : this.registry.getListenerEndpoints()) {
			meters.timer(endpoint.id(), "success");
			meters.timer(endpoint.id(), "error");
		}
		this.registry.addObserver(meters);
	}

	/** The timers of one registry. */
	private static final class Meters implements ListenerObserver {

		private final Map<String, Timer> timers = new ConcurrentHashMap<>();

		private final MeterRegistry meterRegistry;

		Meters(MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
		}

		private Timer timer(String listener, String outcome) {
			return this.timers.computeIfAbsent(listener + "|" + outcome, (key) -> Timer.builder("mqtt.listener.invocations")
				.description("@MqttListener invocations, by listener id and outcome")
				.tags("listener", listener, "outcome", outcome)
				.register(this.meterRegistry));
		}

		@Override
		public void invoked(String listenerId, Duration elapsed, boolean success) {
			timer(listenerId, success ? "success" : "error").record(elapsed);
		}

	}

}
