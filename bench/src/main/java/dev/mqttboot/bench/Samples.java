package dev.mqttboot.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every value measured, per target (a broker, or a client side) and per "scenario | metric" key, in the order first
 * measured. Repeated runs add samples; the report shows their median, the JSON lines all of them.
 */
final class Samples {

	private final Map<String, Map<String, List<Double>>> byTarget = new LinkedHashMap<>();

	private final List<String> keys = new ArrayList<>();

	void add(String target, String scenario, String metric, double value) {
		String key = scenario + " | " + metric;
		if (!this.keys.contains(key)) {
			this.keys.add(key);
		}
		this.byTarget.computeIfAbsent(target, (t) -> new LinkedHashMap<>())
			.computeIfAbsent(key, (k) -> new ArrayList<>())
			.add(value);
	}

	/** A recorder for one target, as the scenarios use it. */
	Recorder recorder(String target) {
		return (scenario, metric, value) -> add(target, scenario, metric, value);
	}

	List<String> keys() {
		return this.keys;
	}

	List<Double> values(String target, String key) {
		return this.byTarget.getOrDefault(target, Map.of()).getOrDefault(key, List.of());
	}

	double median(String target, String key) {
		return median(values(target, key));
	}

	/** @return the median of the values that are numbers, or NaN when there is none */
	static double median(List<Double> samples) {
		double[] values = samples.stream().mapToDouble(Double::doubleValue).filter((v) -> !Double.isNaN(v))
			.toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		Arrays.sort(values);
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	/** Where a scenario puts what it measured. */
	@FunctionalInterface
	interface Recorder {

		void record(String scenario, String metric, double value);

	}

}
