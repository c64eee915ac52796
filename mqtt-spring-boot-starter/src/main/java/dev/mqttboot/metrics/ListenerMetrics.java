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
		for (MqttListenerContainer container : this.registry.getListenerContainers()) {
			meters.timers(container.endpoint().id());
		}
		this.registry.addObserver(meters);
	}

	/** The timers of one registry. */
	private static final class Meters implements ListenerObserver {

		/** Per listener id: the success and the error timer. */
		private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

		private final MeterRegistry meterRegistry;

		Meters(MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
		}

		private Timer[] timers(String listener) {
			return this.timers.computeIfAbsent(listener,
					(id) -> new Timer[] { timer(id, "success"), timer(id, "error") });
		}

		private Timer timer(String listener, String outcome) {
			return Timer.builder("mqtt.listener.invocations")
				.description("@MqttListener invocations, by listener id and outcome")
				.tags("listener", listener, "outcome", outcome)
				.register(this.meterRegistry);
		}

		@Override
		public void invoked(String listenerId, Duration elapsed, boolean success) {
			timers(listenerId)[success ? 0 : 1].record(elapsed);
		}

	}

}
