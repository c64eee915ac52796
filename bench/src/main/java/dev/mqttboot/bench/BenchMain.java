package dev.mqttboot.bench;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark, in one run: the broker scenarios (1 to 6, 9, 10) against broker-service on each engine (Artemis with and
 * without its journal, Moquette), Mosquitto and raw Moquette 0.17, the cluster scenario (11: a three-node Artemis
 * cluster against one node),
 * each broker started fresh for every run and stopped by its PID, then the starter scenarios (7 and 8) against a fresh
 * Mosquitto. Every scenario runs {@code BENCH_RUNS} times (default 3); the report shows medians, ratios and targets,
 * in {@code BENCHMARKS.md}, and appends every sample to {@code bench/results.jsonl}.
 * <p>
 * Arguments: scenario numbers to run (default all), e.g. {@code 2 5}. Environment: {@code BENCH_RUNS} (runs per
 * scenario), {@code BENCH_BROKERS} (a comma-separated subset of the brokers, for tuning experiments) and
 * {@code BENCH_BROKER_SERVICE_ARGS} (extra arguments for broker-service, e.g. a property to try).
 */
public final class BenchMain {

	private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

	static final List<String> BROKERS = List.of(BrokerProcess.ARTEMIS, BrokerProcess.ARTEMIS_NO_JOURNAL,
			BrokerProcess.MOQUETTE, "mosquitto", "raw-moquette");

	/** Seconds from process start to an accepting MQTT port, each start, by broker; the report shows the median. */
	static final java.util.Map<String, List<Double>> STARTUP_SECONDS = new java.util.concurrent.ConcurrentHashMap<>();

	/** Runs that failed, by broker; the report names them. */
	static final java.util.Map<String, Integer> FAILED_RUNS = new java.util.concurrent.ConcurrentHashMap<>();

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		Set<String> only = new HashSet<>(List.of(args));
		int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "3"));
		Path work = Files.createTempDirectory("mqtt-bench");
		Samples samples = new Samples();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		try {
			// BENCH_BROKERS=artemis limits a tuning experiment to some brokers (the ratios then need the baselines).
			List<String> brokers = List.of(System.getenv().getOrDefault("BENCH_BROKERS", String.join(",", BROKERS))
				.split(","));
			for (String broker : brokers) {
				if (anySelected(only, "1", "2", "3", "4", "5", "10")) {
					for (int run = 1; run <= runs; run++) {
						log.info("== {}: scenarios 1-5 and 10, run {} of {}", broker, run, runs);
						withFreshBroker(broker, work, (process, port) -> brokerScenarios(
								new BrokerScenarios(group, process, port, samples.recorder(broker)), only));
					}
				}
				if (anySelected(only, "6")) {
					for (int run = 1; run <= runs; run++) {
						log.info("== {}: scenario 6, run {} of {}", broker, run, runs);
						withFreshBroker(broker, work, (process, port) -> new BrokerScenarios(group, process, port,
								samples.recorder(broker))
							.idleConnections(5_000, 30, "6. 5,000 idle connections (keep-alive 30 s)"));
					}
				}
				if (anySelected(only, "9")) {
					for (int run = 1; run <= runs; run++) {
						log.info("== {}: scenario 9, run {} of {}", broker, run, runs);
						withFreshBroker(broker, work, (process, port) -> new BrokerScenarios(group, process, port,
								samples.recorder(broker))
							.connectionStorm(5_000, true, "9a. 5,000 simultaneous CONNECTs, clean sessions"));
						withFreshBroker(broker, work, (process, port) -> new BrokerScenarios(group, process, port,
								samples.recorder(broker))
							.connectionStorm(5_000, false, "9b. 5,000 simultaneous CONNECTs, persistent sessions"));
					}
				}
			}
			if (anySelected(only, "11")) {
				for (int run = 1; run <= runs; run++) {
					log.info("== scenario 11 (cluster), run {} of {}: one artemis node, then a cluster of 3", run,
							runs);
					withFreshBroker(BrokerProcess.ARTEMIS, work, (process, port) -> new ClusterScenarios(group, port,
							List.of(port, port), List.of(process), samples.recorder(BrokerProcess.ARTEMIS))
						.run());
					withFreshCluster(work, (nodes, ports) -> new ClusterScenarios(group, ports.get(0),
							ports.subList(1, 3), nodes, samples.recorder(BrokerProcess.CLUSTER))
						.run());
				}
			}
			if (anySelected(only, "7", "8")) {
				log.info("== starter scenarios on mosquitto, {} runs", runs);
				withFreshBroker("mosquitto", work, (process, port) -> {
					try (StarterScenarios starter = new StarterScenarios(group, port, new Samples())) {
						// Untimed: JIT warm-up of both sides, so that neither pays for it in the first run.
						starterScenarios(starter, only, true);
					}
					try (StarterScenarios starter = new StarterScenarios(group, port, samples)) {
						for (int run = 1; run <= runs; run++) {
							starterScenarios(starter, only, run % 2 == 1);
						}
					}
				});
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
		}
		new Report(samples, runs).write(Path.of("BENCHMARKS.md"), Path.of("bench", "results.jsonl"));
	}

	private static void brokerScenarios(BrokerScenarios scenarios, Set<String> only) throws Exception {
		scenarios.warmUp();
		if (selected(only, "1")) {
			scenarios.fanIn(0, 8, 50_000, 0, "1. QoS 0 fan-in 8->1");
		}
		if (selected(only, "2")) {
			scenarios.fanIn(1, 8, 20_000, 100, "2. QoS 1 fan-in 8->1 (window 100)");
		}
		if (selected(only, "3")) {
			scenarios.fanIn(2, 8, 10_000, 100, "3. QoS 2 fan-in 8->1 (window 100)");
		}
		if (selected(only, "4")) {
			scenarios.fanOut(0, 50, 5_000, "4a. QoS 0 fan-out 1->50");
			scenarios.fanOut(1, 50, 5_000, "4b. QoS 1 fan-out 1->50");
		}
		if (selected(only, "5")) {
			scenarios.latency(2, "5. QoS 1 latency at 2,000 msg/s");
		}
		if (selected(only, "10")) {
			scenarios.fanIn(1, 8, 20_000, 100, false, "10. QoS 1 fan-in 8->1 to a persistent session (window 100)");
		}
	}

	private static void starterScenarios(StarterScenarios starter, Set<String> only, boolean rawFirst)
			throws Exception {
		if (selected(only, "7")) {
			for (int qos = 0; qos <= 1; qos++) {
				starter.listenerDispatch(qos, PayloadFormat.TEXT, 100_000,
						"7. @MqttListener dispatch, String, QoS " + qos, rawFirst);
				starter.listenerDispatch(qos, PayloadFormat.JSON, 100_000,
						"7. @MqttListener dispatch, JSON record, QoS " + qos, rawFirst);
			}
		}
		if (selected(only, "8")) {
			for (int qos = 0; qos <= 2; qos++) {
				starter.templatePublish(qos, 20_000, "8. MqttTemplate publish, QoS " + qos + " (window 100)",
						rawFirst);
			}
		}
	}

	private static void withFreshBroker(String broker, Path work, Measurement measurement) throws Exception {
		int port = freePort();
		BrokerProcess process = switch (broker) {
			case "mosquitto" -> BrokerProcess.mosquitto(port, work);
			case "raw-moquette" -> BrokerProcess.rawMoquette(port, work);
			default -> BrokerProcess.brokerService(broker, port, work);
		};
		double startup = process.start(port);
		STARTUP_SECONDS.computeIfAbsent(broker, (key) -> new java.util.concurrent.CopyOnWriteArrayList<>())
			.add(startup);
		log.info("   {} pid {} on 127.0.0.1:{}", broker, process.pid(), port);
		try {
			measurement.run(process, port);
		}
		catch (Exception ex) {
			// One failed run (a broker that stalls, say) must not cost the others: it is reported, and its
			// scenarios simply have fewer samples.
			log.warn("   {}: a run failed and is left out: {}", broker, ex.toString());
			FAILED_RUNS.merge(broker, 1, Integer::sum);
		}
		finally {
			process.stop();
		}
	}

	/** Three clustered broker-service nodes, started fresh and stopped after the measurement. */
	private static void withFreshCluster(Path work, ClusterMeasurement measurement) throws Exception {
		List<Integer> ports = List.of(freePort(), freePort(), freePort());
		List<Integer> clusterPorts = List.of(freePort(), freePort(), freePort());
		List<BrokerProcess> nodes = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				List<String> members = new java.util.ArrayList<>();
				for (int j = 0; j < 3; j++) {
					if (j != i) {
						members.add("127.0.0.1:" + clusterPorts.get(j));
					}
				}
				BrokerProcess node = BrokerProcess.clusterNode(i + 1, ports.get(i), clusterPorts.get(i), members, work);
				nodes.add(node);
				node.start(ports.get(i));
			}
			log.info("   {} pids {}", BrokerProcess.CLUSTER, nodes.stream().map(BrokerProcess::pid).toList());
			measurement.run(nodes, ports);
		}
		catch (Exception ex) {
			log.warn("   {}: a run failed and is left out: {}", BrokerProcess.CLUSTER, ex.toString());
			FAILED_RUNS.merge(BrokerProcess.CLUSTER, 1, Integer::sum);
		}
		finally {
			for (BrokerProcess node : nodes) {
				node.stop();
			}
		}
	}

	private static boolean selected(Set<String> only, String scenario) {
		return only.isEmpty() || only.contains(scenario);
	}

	private static boolean anySelected(Set<String> only, String... scenarios) {
		for (String scenario : scenarios) {
			if (selected(only, scenario)) {
				return true;
			}
		}
		return false;
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	@FunctionalInterface
	private interface ClusterMeasurement {

		void run(List<BrokerProcess> nodes, List<Integer> ports) throws Exception;

	}

	@FunctionalInterface
	private interface Measurement {

		void run(BrokerProcess process, int port) throws Exception;

	}

}
