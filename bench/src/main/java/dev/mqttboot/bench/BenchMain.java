package dev.mqttboot.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the broker scenarios against broker-service, Mosquitto and raw Moquette 0.17, one broker at a time (started
 * fresh, measured, stopped by PID), and reports a table with ratios, JSON lines and {@code BENCHMARKS.md}. Every loop
 * is bounded in count and time. Client and broker share this machine's cores, so the load generator's CPU is reported
 * next to the broker's.
 */
public final class BenchMain {

	private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

	private static final long SCENARIO_TIMEOUT_SECONDS = 60;

	private BenchMain() {
	}

	/** Scenario numbers to run (all when empty), from arguments such as {@code 1 5}. */
	private static final java.util.Set<String> ONLY = new java.util.HashSet<>();

	public static void main(String[] args) throws Exception {
		ONLY.addAll(List.of(args));
		Path work = Files.createTempDirectory("mqtt-bench");
		Map<String, Map<String, Double>> results = new LinkedHashMap<>();
		for (String broker : List.of("broker-service", "mosquitto", "raw-moquette")) {
			int port = freePort();
			BrokerProcess process = switch (broker) {
				case "broker-service" -> BrokerProcess.brokerService(port, work);
				case "mosquitto" -> BrokerProcess.mosquitto(port, work);
				default -> BrokerProcess.rawMoquette(port, work);
			};
			log.info("== {} (pid after start), port {}", broker, port);
			process.start(port);
			try {
				results.put(broker, runScenarios(process, port));
			}
			finally {
				process.stop();
			}
		}
		report(results);
	}

	private static Map<String, Double> runScenarios(BrokerProcess broker, int port) throws Exception {
		Map<String, Double> metrics = new LinkedHashMap<>();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		try {
			warmUp(group, port);
			if (selected("1")) {
				fanIn(group, broker, port, 0, 8, 50_000, 0, metrics, "1. QoS 0 fan-in 8->1");
			}
			if (selected("2")) {
				fanIn(group, broker, port, 1, 8, 20_000, 100, metrics, "2. QoS 1 fan-in 8->1 (window 100)");
			}
			if (selected("3")) {
				fanIn(group, broker, port, 2, 8, 10_000, 100, metrics, "3. QoS 2 fan-in 8->1 (window 100)");
			}
			if (selected("4")) {
				fanOut(group, broker, port, 0, 50, 5_000, metrics, "4a. QoS 0 fan-out 1->50");
				fanOut(group, broker, port, 1, 50, 5_000, metrics, "4b. QoS 1 fan-out 1->50");
			}
			if (selected("5")) {
				latency(group, port, metrics, "5. QoS 1 latency at 2,000 msg/s");
			}
			if (selected("6")) {
				idleConnections(group, broker, port, 5_000, metrics, "6. 5,000 idle connections (keep-alive 30 s)");
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
		}
		return metrics;
	}

	private static boolean selected(String scenario) {
		return ONLY.isEmpty() || ONLY.contains(scenario);
	}

	private static void warmUp(EventLoopGroup group, int port) throws Exception {
		Map<String, Double> ignored = new LinkedHashMap<>();
		fanIn(group, null, port, 1, 2, 5_000, 100, ignored, "warm-up");
	}

	private static void fanIn(EventLoopGroup group, BrokerProcess broker, int port, int qos, int publishers, int each,
			int window, Map<String, Double> metrics, String name) throws Exception {
		Receiver receiver = new Receiver(publishers, each);
		BenchClient subscriber = BenchClient.connect(group, port, "sub-" + qos, 60, receiver::onPacket);
		receiver.bind(subscriber);
		subscriber.subscribe("bench/" + qos + "/#", qos);
		List<Publisher> senders = new ArrayList<>();
		List<BenchClient> clients = new ArrayList<>();
		for (int i = 0; i < publishers; i++) {
			Publisher publisher = new Publisher(i, "bench/" + qos + "/p" + i, qos, each, window);
			BenchClient client = BenchClient.connect(group, port, "pub-" + qos + "-" + i, 60, publisher::onPacket);
			publisher.bind(client);
			senders.add(publisher);
			clients.add(client);
		}
		Measure measure = Measure.start(broker);
		senders.forEach(Publisher::start);
		long expected = (long) publishers * each;
		awaitDelivery(receiver, expected, senders);
		double seconds = (receiver.lastArrivalNanos - measure.startNanos) / 1e9;
		if (broker != null) {
			metrics.put(name + " | delivered msg/s", receiver.distinct() / seconds);
			metrics.put(name + " | loss %", 100.0 * (expected - receiver.distinct()) / expected);
			metrics.put(name + " | duplicates", (double) receiver.duplicates);
			metrics.put(name + " | reordered", (double) receiver.reordered);
			if (qos == 2) {
				metrics.put(name + " | packet-id reuse", (double) receiver.packetIdReuse);
			}
			measure.finish(metrics, name);
		}
		clients.forEach(BenchClient::close);
		subscriber.close();
	}

	private static void fanOut(EventLoopGroup group, BrokerProcess broker, int port, int qos, int subscribers,
			int count, Map<String, Double> metrics, String name) throws Exception {
		List<Receiver> receivers = new ArrayList<>();
		List<BenchClient> clients = new ArrayList<>();
		int subscribeFailures = 0;
		for (int i = 0; i < subscribers; i++) {
			Receiver receiver = new Receiver(1, count);
			BenchClient client = null;
			for (int attempt = 0; attempt < 3 && client == null; attempt++) {
				BenchClient candidate = BenchClient.connect(group, port, "fan-sub-" + qos + "-" + i, 60,
						receiver::onPacket);
				receiver.bind(candidate);
				try {
					candidate.subscribe("fan/" + qos, qos);
					client = candidate;
				}
				catch (java.util.concurrent.TimeoutException ex) {
					// A broker that drops a SUBSCRIBE sent right after CONNACK (raw Moquette 0.17 does).
					subscribeFailures++;
					candidate.close();
				}
			}
			if (client == null) {
				throw new IllegalStateException("subscriber " + i + " could not subscribe in 3 attempts");
			}
			receivers.add(receiver);
			clients.add(client);
		}
		metrics.put(name + " | SUBSCRIBE lost after CONNACK", (double) subscribeFailures);
		Publisher publisher = new Publisher(0, "fan/" + qos, qos, count, 100);
		BenchClient pub = BenchClient.connect(group, port, "fan-pub-" + qos, 60, publisher::onPacket);
		publisher.bind(pub);
		Measure measure = Measure.start(broker);
		publisher.start();
		long expected = (long) subscribers * count;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		long last = -1;
		long lastChange = System.nanoTime();
		while (System.nanoTime() < deadline) {
			long delivered = receivers.stream().mapToLong(Receiver::distinct).sum();
			if (delivered >= expected) {
				break;
			}
			if (delivered != last) {
				last = delivered;
				lastChange = System.nanoTime();
			}
			else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5)) {
				break; // nothing more is coming
			}
			TimeUnit.MILLISECONDS.sleep(20);
		}
		long end = receivers.stream().mapToLong((r) -> r.lastArrivalNanos).max().orElse(System.nanoTime());
		long delivered = receivers.stream().mapToLong(Receiver::distinct).sum();
		metrics.put(name + " | deliveries/s", delivered / ((end - measure.startNanos) / 1e9));
		metrics.put(name + " | loss %", 100.0 * (expected - delivered) / expected);
		measure.finish(metrics, name);
		pub.close();
		clients.forEach(BenchClient::close);
	}

	private static void latency(EventLoopGroup group, int port, Map<String, Double> metrics, String name)
			throws Exception {
		int seconds = 10;
		int perMillisecond = 2;
		Receiver receiver = new Receiver(1, seconds * 1000 * perMillisecond);
		BenchClient subscriber = BenchClient.connect(group, port, "lat-sub", 60, receiver::onPacket);
		receiver.bind(subscriber);
		subscriber.subscribe("lat/#", 1);
		Publisher publisher = new Publisher(0, "lat/x", 1, seconds * 1000 * perMillisecond, Integer.MAX_VALUE);
		BenchClient pub = BenchClient.connect(group, port, "lat-pub", 60, publisher::onPacket);
		publisher.bind(pub);
		publisher.startPaced(perMillisecond);
		awaitDelivery(receiver, (long) seconds * 1000 * perMillisecond, List.of(publisher));
		metrics.put(name + " | p50 us", receiver.percentileMicros(50));
		metrics.put(name + " | p99 us", receiver.percentileMicros(99));
		metrics.put(name + " | p99.9 us", receiver.percentileMicros(99.9));
		metrics.put(name + " | loss %", 100.0 * (seconds * 1000 * perMillisecond - receiver.distinct())
				/ (seconds * 1000 * perMillisecond));
		pub.close();
		subscriber.close();
	}

	private static void idleConnections(EventLoopGroup group, BrokerProcess broker, int port, int count,
			Map<String, Double> metrics, String name) throws Exception {
		System.gc();
		long rssBefore = broker.rssKib();
		List<BenchClient> clients = new ArrayList<>();
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
			try {
				clients.add(BenchClient.connect(group, port, "idle-" + i, 30, (message) -> {
				}));
			}
			catch (Exception ex) {
				// counted below as a connection not made
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		TimeUnit.SECONDS.sleep(2);
		long rssAfter = broker.rssKib();
		metrics.put(name + " | seconds to connect all", seconds);
		// Refused, timed out, or not attempted before the scenario's time limit.
		metrics.put(name + " | connections not made", (double) (count - clients.size()));
		metrics.put(name + " | broker RSS KiB per connection",
				clients.isEmpty() ? Double.NaN : (double) (rssAfter - rssBefore) / clients.size());
		metrics.put(name + " | broker RSS MiB with all connected", rssAfter / 1024.0);
		clients.forEach((client) -> client.channel().close());
		for (BenchClient client : clients) {
			client.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
	}

	private static void awaitDelivery(Receiver receiver, long expected, List<Publisher> publishers)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
		long last = -1;
		long lastChange = System.nanoTime();
		while (System.nanoTime() < deadline && receiver.distinct() < expected) {
			long now = receiver.distinct();
			if (now != last) {
				last = now;
				lastChange = System.nanoTime();
			}
			else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5)
					&& publishers.stream().allMatch((p) -> p.done.getCount() == 0)) {
				return; // senders finished and nothing arrived for 5 s: the rest is lost
			}
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	private static void report(Map<String, Map<String, Double>> results) throws Exception {
		List<String> names = new ArrayList<>(results.get("broker-service").keySet());
		StringBuilder table = new StringBuilder();
		table.append("| Scenario | Metric | broker-service | Mosquitto | raw Moquette | ours / Mosquitto | ours / raw Moquette |\n");
		table.append("|---|---|---:|---:|---:|---:|---:|\n");
		StringBuilder jsonLines = new StringBuilder();
		for (String key : names) {
			String[] parts = key.split(" \\| ");
			double ours = results.get("broker-service").getOrDefault(key, Double.NaN);
			double mosquitto = results.get("mosquitto").getOrDefault(key, Double.NaN);
			double raw = results.get("raw-moquette").getOrDefault(key, Double.NaN);
			table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", parts[0], parts[1],
					format(ours), format(mosquitto), format(raw), ratio(ours, mosquitto), ratio(ours, raw)));
			jsonLines.append(String.format(Locale.ROOT,
					"{\"scenario\":\"%s\",\"metric\":\"%s\",\"broker-service\":%s,\"mosquitto\":%s,\"raw-moquette\":%s}%n",
					parts[0], parts[1], json(ours), json(mosquitto), json(raw)));
		}
		log.info("\n{}", table);
		Files.writeString(Path.of("bench/results.jsonl"), jsonLines, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter((line) -> line.startsWith("model name"))
			.findFirst()
			.map((line) -> line.replaceFirst(".*: ", ""))
			.orElse("unknown CPU");
		String markdown = "# Benchmarks\n\nGenerated by `bench/run.sh` on " + LocalDate.now() + " (do not edit by hand: "
				+ "run the command again).\n\nMachine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu
				+ "), " + (ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
					.getTotalMemorySize() >> 30)
				+ " GiB. The load generator and the broker share these cores; their CPU use is reported per scenario "
				+ "(CPU ms). Brokers: broker-service (this repository, persistence off, anonymous on), Eclipse "
				+ "Mosquitto (Debian package, loopback listener, no persistence, unlimited queues), raw Moquette 0.17 "
				+ "(library defaults, persistence and telemetry off). 64-byte payloads carrying a sequence number and "
				+ "the send time.\n\n" + table + "\nRaw data: `bench/results.jsonl`.\n";
		Files.writeString(Path.of("BENCHMARKS.md"), markdown);
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
		return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.valueOf(value);
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	/** CPU use of the broker and of this load generator during a scenario. */
	private record Measure(BrokerProcess broker, long startNanos, long brokerCpu, long ownCpu) {

		static Measure start(BrokerProcess broker) {
			return new Measure(broker, System.nanoTime(), (broker != null) ? broker.cpuMillis() : 0, ownCpuMillis());
		}

		void finish(Map<String, Double> metrics, String name) {
			metrics.put(name + " | broker CPU ms", (double) (this.broker.cpuMillis() - this.brokerCpu));
			metrics.put(name + " | load generator CPU ms", (double) (ownCpuMillis() - this.ownCpu));
		}

		private static long ownCpuMillis() {
			return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
				.getProcessCpuTime() / 1_000_000;
		}

	}

}
