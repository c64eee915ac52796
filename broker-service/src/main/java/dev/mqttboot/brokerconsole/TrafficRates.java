package dev.mqttboot.brokerconsole;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;

/**
 * Messages per second in, out and dropped, for the overview: the broker's own meters
 * ({@code mqtt.broker.messages.received}, {@code .delivered}, {@code .dropped}) sampled at a fixed interval.
 */
public class TrafficRates {

	/** How often the meters are read. */
	public static final Duration INTERVAL = Duration.ofSeconds(5);

	private final MeterRegistry registry;

	private volatile Sample last;

	private volatile Rates rates = new Rates(0, 0, 0, 0, 0, 0);

	/** @param registry where the broker's meters are */
	public TrafficRates(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Read the meters and work out the rates since the last reading (called every {@link #INTERVAL}). */
	public void sample() {
		Sample now = new Sample(System.nanoTime(), total("mqtt.broker.messages.received"),
				total("mqtt.broker.messages.delivered"), total("mqtt.broker.messages.dropped"));
		Sample before = this.last;
		this.last = now;
		if (before != null) {
			double seconds = Math.max(1e-3, (now.nanos - before.nanos) / 1e9);
			this.rates = new Rates((now.received - before.received) / seconds,
					(now.delivered - before.delivered) / seconds, (now.dropped - before.dropped) / seconds,
					now.received, now.delivered, now.dropped);
		}
		else {
			this.rates = new Rates(0, 0, 0, now.received, now.delivered, now.dropped);
		}
	}

	/** @return the rates from the last two readings */
	public Rates current() {
		return this.rates;
	}

	private double total(String name) {
		double total = 0;
		for (Meter meter : this.registry.find(name).meters()) {
			for (Measurement measurement : meter.measure()) {
				if (measurement.getStatistic() == Statistic.COUNT) {
					total += measurement.getValue();
				}
			}
		}
		return total;
	}

	private record Sample(long nanos, double received, double delivered, double dropped) {
	}

	/**
	 * Messages per second over the last interval, and in all since start.
	 *
	 * @param receivedPerSecond PUBLISHes received from clients
	 * @param deliveredPerSecond messages written to subscribers
	 * @param droppedPerSecond messages not delivered (slow subscriber, full queue, access rule)
	 * @param received received since start
	 * @param delivered delivered since start
	 * @param dropped dropped since start
	 */
	public record Rates(double receivedPerSecond, double deliveredPerSecond, double droppedPerSecond, double received,
			double delivered, double dropped) {
	}

}
