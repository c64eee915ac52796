package dev.mqttboot.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker under test, in its own process (so its CPU and memory can be read), started fresh on a loopback port and
 * stopped by its PID.
 */
final class BrokerProcess {

	final String name;

	private final List<String> command;

	private final Map<String, String> environment;

	private final Path log;

	private Process process;

	private BrokerProcess(String name, List<String> command, Map<String, String> environment, Path log) {
		this.name = name;
		this.command = command;
		this.environment = environment;
		this.log = log;
	}

	/**
	 * broker-service on one engine, with its production defaults but anonymous access: {@code artemis} with its
	 * journal (batched sync) under a fresh data directory, {@code artemis-no-journal} with persistence off, and
	 * {@code moquette} with its store and a queue limit as high as the bench's Mosquitto's.
	 */
	static BrokerProcess brokerService(String name, int port, Path work) throws IOException {
		Map<String, String> environment = serviceEnvironment(name, port, work);
		switch (name) {
			case ARTEMIS -> environment.put("MQTT_ENGINE", "artemis");
			case ARTEMIS_NO_JOURNAL -> {
				environment.put("MQTT_ENGINE", "artemis");
				environment.put("MQTT_PERSISTENCE_ENABLED", "false");
			}
			case MOQUETTE -> {
				environment.put("MQTT_ENGINE", "moquette");
				environment.put("MQTT_BROKER_MOQUETTE_MAXQUEUEDMESSAGES", "1000000");
			}
			default -> throw new IllegalArgumentException(name);
		}
		return new BrokerProcess(name, serviceCommand(), environment, work.resolve(name + ".log"));
	}

	/**
	 * broker-service on Artemis (journal on) as node {@code node} of a cluster on loopback, static discovery.
	 * @param members the other nodes' cluster addresses, {@code host:port}
	 */
	static BrokerProcess clusterNode(int node, int port, int clusterPort, List<String> members, Path work)
			throws IOException {
		String name = CLUSTER + "-node" + node;
		Map<String, String> environment = serviceEnvironment(name, port, work);
		environment.putAll(Map.of("MQTT_ENGINE", "artemis", "MQTT_CLUSTER_ENABLED", "true", "MQTT_CLUSTER_NODE_NAME",
				"node" + node, "MQTT_CLUSTER_HOST", "127.0.0.1", "MQTT_CLUSTER_PORT", String.valueOf(clusterPort),
				"MQTT_CLUSTER_MEMBERS", String.join(",", members), "MQTT_CLUSTER_PASSWORD", "bench-cluster"));
		return new BrokerProcess(name, serviceCommand(), environment, work.resolve(name + ".log"));
	}

	private static List<String> serviceCommand() {
		List<String> command = new java.util.ArrayList<>(List.of(java(), "-Xmx1g"));
		// For tuning experiments: JVM options (BENCH_BROKER_SERVICE_JAVA_OPTS="-Dio.netty.allocator.type=pooled")
		// and arguments (BENCH_BROKER_SERVICE_ARGS="--mqtt.broker.moquette.outbound-buffer-size=4MB").
		command.addAll(words(System.getenv("BENCH_BROKER_SERVICE_JAVA_OPTS")));
		command.addAll(List.of("-jar", "broker-service/target/broker-service.jar"));
		command.addAll(words(System.getenv("BENCH_BROKER_SERVICE_ARGS")));
		return command;
	}

	private static Map<String, String> serviceEnvironment(String name, int port, Path work) throws IOException {
		Path data = Files.createTempDirectory(work, name + "-data");
		return new java.util.HashMap<>(Map.of("MQTT_PORT", String.valueOf(port), "MQTT_WS_PORT", "-1",
				"MQTT_ALLOW_ANONYMOUS", "true", "MANAGEMENT_PORT", "0", "HTTP_PORT", "0", "MQTT_CONFIG_DIR",
				work.toString(), "MQTT_MAX_KEEP_ALIVE", "600s", "MQTT_DATA_DIR", data.toString()));
	}

	/** broker-service on Artemis, journal on (the service's default). */
	static final String ARTEMIS = "artemis";

	/** broker-service on Artemis, persistence off. */
	static final String ARTEMIS_NO_JOURNAL = "artemis-no-journal";

	/** broker-service on Moquette. */
	static final String MOQUETTE = "moquette";

	/** Three broker-service nodes on Artemis (journal on), clustered. */
	static final String CLUSTER = "artemis-cluster-3";

	static BrokerProcess mosquitto(int port, Path work) throws IOException {
		Path config = work.resolve("mosquitto.conf");
		Files.writeString(config, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
				"persistence false", "max_queued_messages 1000000", "max_inflight_messages 0", "max_queued_bytes 0",
				"set_tcp_nodelay true", "log_dest stderr", "log_type error", ""));
		return new BrokerProcess("mosquitto", List.of("/usr/sbin/mosquitto", "-c", config.toString()), Map.of(),
				work.resolve("mosquitto.log"));
	}

	static BrokerProcess rawMoquette(int port, Path work) {
		return new BrokerProcess("raw-moquette",
				List.of(java(), "-Xmx1g", "-cp", "bench/target/bench.jar",
						"-Dloader.main=dev.mqttboot.bench.RawMoquetteLauncher",
						"org.springframework.boot.loader.launch.PropertiesLauncher", String.valueOf(port),
						work.resolve("moquette-data").toString()),
				Map.of(), work.resolve("raw-moquette.log"));
	}

	private static List<String> words(String value) {
		return (value == null || value.isBlank()) ? List.of() : List.of(value.strip().split("\\s+"));
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** @return seconds from the process start until its MQTT port accepts connections */
	double start(int port) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		builder.environment().putAll(this.environment);
		long started = System.nanoTime();
		this.process = builder.start();
		long deadline = started + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return (System.nanoTime() - started) / 1e9;
			}
			catch (IOException ex) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited; see " + this.log);
				}
				Thread.onSpinWait();
				TimeUnit.MILLISECONDS.sleep(20);
			}
		}
		throw new IllegalStateException(this.name + " did not open port " + port + " within 60 s; see " + this.log);
	}

	long pid() {
		return this.process.pid();
	}

	/** CPU time used so far (user + system), in milliseconds. */
	long cpuMillis() {
		try {
			String[] fields = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"))
				.replaceFirst(".*\\) ", "")
				.split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Let a JVM broker collect its garbage (a full GC through {@code jcmd}) so that its resident size reflects what it
	 * keeps rather than what it allocated on the way; nothing for a native broker.
	 */
	void collectGarbage() throws InterruptedException {
		if (!this.command.get(0).equals(java())) {
			return;
		}
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(pid()), "GC.run")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			jcmd.waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// no jcmd: measure as it is
		}
		TimeUnit.SECONDS.sleep(1);
	}

	/** Resident set size in KiB. */
	long rssKib() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return -1;
	}

	void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
