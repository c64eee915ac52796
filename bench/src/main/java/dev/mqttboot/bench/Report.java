package dev.mqttboot.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.sun.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the samples into the two tables (medians and ratios), the targets with what the medians say of each, the
 * regenerated {@code BENCHMARKS.md}, and JSON lines with every sample.
 */
final class Report {

	private static final Logger log = LoggerFactory.getLogger(Report.class);

	private static final String ARTEMIS = BrokerProcess.ARTEMIS;

	private static final String MOQUETTE = BrokerProcess.MOQUETTE;

	/** The brokers of the broker tables, in their column order. */
	private static final List<String> BROKERS = List.of(ARTEMIS, BrokerProcess.ARTEMIS_NO_JOURNAL, MOQUETTE,
			"mosquitto", "raw-moquette");

	private final Samples samples;

	private final int runs;

	Report(Samples samples, int runs) {
		this.samples = samples;
		this.runs = runs;
	}

	void write(Path markdown, Path jsonLines) throws Exception {
		String brokerTable = brokerTable();
		String clusterTable = clusterTable();
		String starterTable = starterTable();
		String targets = targets();
		log.info("\n{}\n{}\n{}\n{}", brokerTable, clusterTable, starterTable, targets);
		Files.writeString(markdown, markdown(brokerTable, clusterTable, starterTable, targets));
		Files.createDirectories(jsonLines.getParent());
		Files.writeString(jsonLines, jsonLines(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private List<String> keys(Predicate<String> scenario) {
		return this.samples.keys().stream().filter(scenario).toList();
	}

	private static boolean isStarterScenario(String key) {
		return key.startsWith("7.") || key.startsWith("8.");
	}

	private static boolean isClusterScenario(String key) {
		return key.startsWith("11");
	}

	private String brokerTable() {
		List<String> keys = keys((key) -> !isStarterScenario(key) && !isClusterScenario(key));
		if (keys.isEmpty()) {
			return "";
		}
		StringBuilder table = new StringBuilder("| Scenario | Metric | artemis (journal) | artemis (no journal) | moquette "
				+ "| Mosquitto | raw Moquette | artemis / Mosquitto | moquette / Mosquitto | moquette / raw Moquette |\n"
				+ "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (String key : keys) {
			String[] parts = key.split(" \\| ");
			StringBuilder row = new StringBuilder("| " + parts[0] + " | " + parts[1] + " |");
			for (String broker : BROKERS) {
				row.append(' ').append(format(this.samples.median(broker, key))).append(" |");
			}
			double mosquitto = this.samples.median("mosquitto", key);
			double moquette = this.samples.median(MOQUETTE, key);
			row.append(' ').append(ratio(this.samples.median(ARTEMIS, key), mosquitto)).append(" | ")
				.append(ratio(moquette, mosquitto)).append(" | ")
				.append(ratio(moquette, this.samples.median("raw-moquette", key))).append(" |");
			table.append(row).append('\n');
		}
		return table.toString();
	}

	private String clusterTable() {
		List<String> keys = keys(Report::isClusterScenario);
		if (keys.isEmpty()) {
			return "";
		}
		StringBuilder table = new StringBuilder("| Scenario | Metric | one artemis node | artemis cluster of 3 "
				+ "| cluster / one node |\n|---|---|---:|---:|---:|\n");
		for (String key : keys) {
			String[] parts = key.split(" \\| ");
			double one = this.samples.median(ARTEMIS, key);
			double cluster = this.samples.median(BrokerProcess.CLUSTER, key);
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", parts[0], parts[1], format(one),
					format(cluster), ratio(cluster, one)));
		}
		return table.toString();
	}

	private String starterTable() {
		List<String> keys = keys(Report::isStarterScenario);
		if (keys.isEmpty()) {
			return "";
		}
		StringBuilder table = new StringBuilder(
				"| Scenario | Metric | starter | raw Paho | starter / raw Paho |\n|---|---|---:|---:|---:|\n");
		for (String key : keys) {
			String[] parts = key.split(" \\| ");
			double ours = this.samples.median(StarterScenarios.STARTER, key);
			double raw = this.samples.median(StarterScenarios.RAW_PAHO, key);
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", parts[0], parts[1], format(ours),
					format(raw), ratio(ours, raw)));
		}
		return table.toString();
	}

	/** The targets, each checked against the medians of this run. */
	private String targets() {
		List<String> lines = new ArrayList<>();
		List<String> throughput = keys((key) -> !isClusterScenario(key)
				&& (key.endsWith("| delivered msg/s") || key.endsWith("| deliveries/s")));
		List<String> qos1FanIn = keys((key) -> key.startsWith("2.") && key.endsWith("| delivered msg/s"));
		List<String> p99 = keys((key) -> !isClusterScenario(key) && key.endsWith("| p99 us"));
		// artemis, journal on: the production default.
		reliableLoss(lines, ARTEMIS);
		List<String> qos0Loss = keys((key) -> !isStarterScenario(key) && key.endsWith("| loss %") && key.contains("QoS 0"));
		if (!qos0Loss.isEmpty()) {
			String beyond = qos0Loss.stream()
				.filter((key) -> this.samples.median(ARTEMIS, key) > this.samples.median("mosquitto", key) + 0.01)
				.map((key) -> key.split(" \\| ")[0])
				.collect(Collectors.joining(", "));
			lines.add(mark(beyond.isEmpty()) + " artemis loses at QoS 0 no more than Mosquitto"
					+ (beyond.isEmpty() ? "" : ": more in " + beyond));
		}
		check(lines, ARTEMIS, "artemis QoS 1 fan-in >= 0.8x Mosquitto (journal on, batched sync)", qos1FanIn,
				"mosquitto", 0.8, true);
		check(lines, ARTEMIS, "artemis p99 latency <= 2x Mosquitto", p99, "mosquitto", 2.0, false);
		for (String key : keys((key) -> key.startsWith("9") && key.endsWith("| connections failed"))) {
			double failed = this.samples.values(ARTEMIS, key).stream().mapToDouble(Double::doubleValue).max()
				.orElse(Double.NaN);
			lines.add(mark(failed == 0) + " artemis: " + key.split(" \\| ")[0].substring(4) + " with 0 failures"
					+ " (in every run): " + format(failed) + " failed at most");
		}
		List<String> clusterLoss = keys((key) -> isClusterScenario(key) && key.endsWith("| loss %"));
		if (!clusterLoss.isEmpty()) {
			String losses = clusterLoss.stream()
				.filter((key) -> this.samples.values(BrokerProcess.CLUSTER, key).stream().anyMatch((v) -> v > 0))
				.map((key) -> key.split(" \\| ")[0])
				.collect(Collectors.joining(", "));
			lines.add(mark(losses.isEmpty()) + " the artemis cluster loses nothing at QoS 1 across nodes (in any run)"
					+ (losses.isEmpty() ? "" : ": loss in " + losses));
		}
		// moquette: the earlier targets of broker-service on Moquette.
		check(lines, MOQUETTE, "moquette >= 0.95x raw Moquette on every throughput scenario", throughput, "raw-moquette",
				0.95, true);
		reliableLoss(lines, MOQUETTE);
		check(lines, MOQUETTE, "moquette QoS 1 fan-in and fan-out >= 1.0x Mosquitto",
				keys((key) -> key.startsWith("2.") && key.endsWith("| delivered msg/s")
						|| key.startsWith("4b.") && key.endsWith("| deliveries/s")),
				"mosquitto", 1.0, true);
		check(lines, MOQUETTE, "moquette p99 latency <= 1.5x Mosquitto", p99, "mosquitto", 1.5, false);
		for (String key : keys((key) -> key.endsWith("| broker RSS KiB per connection"))) {
			double perConnection = this.samples.median(MOQUETTE, key);
			lines.add(mark(perConnection <= 4) + String.format(Locale.ROOT,
					" moquette <= 4 KiB RSS per idle connection: %s KiB", format(perConnection)));
			lines.add("reported: RSS per idle connection: " + BROKERS.stream()
				.map((broker) -> broker + " " + format(this.samples.median(broker, key)) + " KiB")
				.collect(Collectors.joining(", ")));
		}
		if (!BenchMain.STARTUP_SECONDS.isEmpty()) {
			lines.add("reported: start-up, process start to an accepting MQTT port (median of every start): "
					+ BROKERS.stream()
						.filter(BenchMain.STARTUP_SECONDS::containsKey)
						.map((broker) -> broker + " " + format(Samples.median(BenchMain.STARTUP_SECONDS.get(broker)))
								+ " s")
						.collect(Collectors.joining(", ")));
		}
		List<String> starter = keys((key) -> isStarterScenario(key) && key.endsWith("msg/s"));
		List<String> below = new ArrayList<>();
		for (String key : starter) {
			double ratio = this.samples.median(StarterScenarios.STARTER, key)
					/ this.samples.median(StarterScenarios.RAW_PAHO, key);
			if (!(ratio >= 0.9)) {
				below.add(key.split(" \\| ")[0] + String.format(Locale.ROOT, " (%.2fx)", ratio));
			}
		}
		if (!starter.isEmpty()) {
			lines.add(mark(below.isEmpty()) + " listener dispatch and template publish >= 0.9x raw Paho"
					+ (below.isEmpty() ? "" : ": below in " + String.join("; ", below)));
		}
		return lines.isEmpty() ? "" : "- " + String.join("\n- ", lines) + "\n";
	}

	private void reliableLoss(List<String> lines, String broker) {
		List<String> reliableLoss = keys(
				(key) -> !isStarterScenario(key) && key.endsWith("| loss %") && !key.contains("QoS 0"));
		if (!reliableLoss.isEmpty()) {
			String losses = reliableLoss.stream()
				.filter((key) -> this.samples.values(broker, key).stream().anyMatch((v) -> v > 0))
				.map((key) -> key.split(" \\| ")[0])
				.collect(Collectors.joining(", "));
			lines.add(mark(losses.isEmpty()) + " " + broker + " loses nothing at QoS 1/2 (in any run)"
					+ (losses.isEmpty() ? "" : ": loss in " + losses));
		}
	}

	private void check(List<String> lines, String broker, String target, List<String> keys, String baseline,
			double bound, boolean atLeast) {
		if (keys.isEmpty()) {
			return;
		}
		List<String> misses = new ArrayList<>();
		for (String key : keys) {
			double ratio = this.samples.median(broker, key) / this.samples.median(baseline, key);
			boolean met = atLeast ? ratio >= bound : ratio <= bound;
			if (!met) {
				misses.add(key.split(" \\| ")[0] + String.format(Locale.ROOT, " (%.2fx)", ratio));
			}
		}
		lines.add(mark(misses.isEmpty()) + " " + target
				+ (misses.isEmpty() ? "" : ": missed in " + String.join("; ", misses)));
	}

	private static String mark(boolean met) {
		return met ? "met:" : "NOT met:";
	}

	private String markdown(String brokerTable, String clusterTable, String starterTable, String targets)
			throws Exception {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter((line) -> line.startsWith("model name"))
			.findFirst()
			.map((line) -> line.replaceFirst(".*: ", ""))
			.orElse("unknown CPU");
		long memoryGib = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize() >> 30;
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Generated by `bench/run.sh` on ").append(LocalDate.now())
			.append(" (do not edit by hand: run the command again).\n\n");
		md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpu)
			.append("), ").append(memoryGib).append(" GiB, Java ").append(System.getProperty("java.version"))
			.append(". The load generator and the broker share these cores: their CPU use is reported per scenario. ");
		md.append("Every scenario ran ").append(this.runs).append(" times, each run on a freshly started broker; the ")
			.append("tables show medians (every sample is in `bench/results.jsonl`).\n\n");
		md.append("Brokers: broker-service (this repository's jar, anonymous on) on each engine: artemis with its ")
			.append("journal (the service's default: memory-mapped, batched sync), artemis with persistence off, ")
			.append("moquette with its store (queue limit 1,000,000, as Mosquitto's here); Eclipse Mosquitto ")
			.append("(Debian package; loopback listener, no persistence, queue limits high enough not to drop, ")
			.append("TCP_NODELAY like the others), raw Moquette 0.17 (library defaults; persistence and telemetry off). ")
			.append("Load: the bench's own Netty MQTT 3.1.1 clients, 64-byte payloads carrying a sequence number ")
			.append("and the send time, so loss, duplicates, reordering and latency are measured.\n\n");
		if (!brokerTable.isEmpty()) {
			md.append("## Broker scenarios\n\n").append(brokerTable).append('\n');
		}
		if (!clusterTable.isEmpty()) {
			md.append("## Cluster scenario (functional, not a scaling claim)\n\n")
				.append("Three broker-service nodes on Artemis (journal on, static discovery on loopback), ")
				.append("publishers on node 1 and subscribers on nodes 2 and 3, so that every message is forwarded ")
				.append("by node 1 to two other nodes; the baseline is the same clients on one node. The three ")
				.append("nodes and the load generator share this machine's ")
				.append(Runtime.getRuntime().availableProcessors())
				.append(" cores: the figures show what forwarding costs per message on one machine, not how a ")
				.append("cluster of machines scales (see the cost model in `docs/clustering.md`).\n\n")
				.append(clusterTable).append('\n');
		}
		if (!starterTable.isEmpty()) {
			md.append("## Starter scenarios (client side, against Mosquitto)\n\n")
				.append("The starter (auto-configured connection, `@MqttListener`, `MqttTemplate`, with Actuator ")
				.append("metrics on) next to raw Eclipse Paho v3 doing the same work on the same broker, in the ")
				.append("same JVM as the load generator. Dispatch includes converting the payload to a `String` or, ")
				.append("with the application's Jackson mapper, to a record, in both.\n\n")
				.append(starterTable).append('\n');
		}
		if (!targets.isEmpty()) {
			md.append("## Targets (checked against the medians above)\n\n").append(targets).append('\n');
		}
		if (!BenchMain.FAILED_RUNS.isEmpty()) {
			md.append("Runs that failed and are left out (see the bench's output): ").append(BenchMain.FAILED_RUNS)
				.append(".\n\n");
		}
		md.append("Raw data: `bench/results.jsonl`.\n");
		return md.toString();
	}

	private String jsonLines() {
		StringBuilder lines = new StringBuilder();
		List<String> targets = new ArrayList<>(BROKERS);
		targets.addAll(List.of(BrokerProcess.CLUSTER, StarterScenarios.STARTER, StarterScenarios.RAW_PAHO));
		for (String key : this.samples.keys()) {
			String[] parts = key.split(" \\| ");
			StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
					"{\"date\":\"%s\",\"runs\":%d,\"scenario\":\"%s\",\"metric\":\"%s\"", LocalDate.now(), this.runs,
					parts[0], parts[1]));
			for (String target : targets) {
				List<Double> values = this.samples.values(target, key);
				if (!values.isEmpty()) {
					line.append(String.format(Locale.ROOT, ",\"%s\":{\"median\":%s,\"samples\":[%s]}", target,
							json(this.samples.median(target, key)),
							values.stream().map(Report::json).collect(Collectors.joining(","))));
				}
			}
			lines.append(line).append("}\n");
		}
		return lines.toString();
	}

	private static String format(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return (Math.abs(value) >= 100) ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	private static String ratio(double ours, double other) {
		if (Double.isNaN(ours) || Double.isNaN(other) || other == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.2fx", ours / other);
	}

	private static String json(double value) {
		return (Double.isNaN(value) || Double.isInfinite(value)) ? "null" : String.valueOf(value);
	}

}
