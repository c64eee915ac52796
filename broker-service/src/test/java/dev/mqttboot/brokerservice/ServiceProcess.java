package dev.mqttboot.brokerservice;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * broker-service's packaged jar in a JVM of its own, as an operator runs it: configured by environment variables,
 * probed on its management port, stopped by SIGTERM or killed with SIGKILL. Restarts keep the ports and the data
 * directory.
 */
final class ServiceProcess implements AutoCloseable {

	/** The ports {@link #freePort()} handed out, in this JVM. */
	private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final Path directory;

	private final Map<String, String> environment = new HashMap<>();

	private final List<String> javaOptions = new ArrayList<>();

	private final int mqttPort;

	private final int managementPort;

	private final List<String> commandPrefix = new ArrayList<>();

	private String host = "127.0.0.1";

	private String authorization;

	private Process process;

	ServiceProcess(Path directory) throws IOException {
		this.directory = directory;
		this.mqttPort = freePort();
		this.managementPort = freePort();
		this.environment.putAll(Map.of("MQTT_PORT", String.valueOf(this.mqttPort), "MQTT_WS_PORT", "-1",
				"MANAGEMENT_PORT", String.valueOf(this.managementPort), "HTTP_PORT", String.valueOf(freePort()),
				"MQTT_DATA_DIR", directory.resolve("data").toString(), "MQTT_CONFIG_DIR",
				directory.resolve("config").toString()));
	}

	/** @return this, with an environment variable set for the next starts */
	ServiceProcess env(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	/** @return this, with JVM options (e.g. {@code -Xmx512m}) for the next starts */
	ServiceProcess javaOptions(String... options) {
		this.javaOptions.addAll(List.of(options));
		return this;
	}

	/**
	 * Run the JVM through a command, e.g. {@code ip netns exec <name>}, and reach it at an address of its own.
	 * @return this
	 */
	ServiceProcess runIn(String host, String... prefix) {
		this.host = host;
		this.commandPrefix.addAll(List.of(prefix));
		return this;
	}

	/**
	 * The management user (HTTP basic) for the requests of {@link #get}.
	 * @return this
	 */
	ServiceProcess managementUser(String password) {
		this.environment.put("SPRING_SECURITY_USER_PASSWORD", password);
		this.authorization = "Basic " + java.util.Base64.getEncoder()
			.encodeToString(("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return this;
	}

	int mqttPort() {
		return this.mqttPort;
	}

	String mqttUrl() {
		return "tcp://" + this.host + ":" + this.mqttPort;
	}

	long pid() {
		return this.process.pid();
	}

	/** Start the jar and wait until its readiness probe answers 200. */
	ServiceProcess start() throws IOException {
		return start("/actuator/health/readiness");
	}

	/**
	 * Start the jar and wait until the probe at {@code path} answers 200 (the liveness probe for a node that is alive
	 * but not ready, such as a passive backup).
	 */
	ServiceProcess start(String path) throws IOException {
		File jar = new File("target/broker-service.jar");
		assertThat(jar).exists();
		List<String> command = new ArrayList<>(this.commandPrefix);
		command.add(System.getProperty("java.home") + "/bin/java");
		command.addAll(this.javaOptions);
		command.addAll(List.of("-jar", jar.getAbsolutePath()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("service.log").toFile()));
		builder.environment().putAll(this.environment);
		this.process = builder.start();
		try {
			awaitStatus(path, 200);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("broker-service did not become ready; the end of its log:\n" + logTail(), ex);
		}
		return this;
	}

	/** SIGKILL: no shutdown hook, no flush; what is not on disk (or in the page cache) is gone. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	/**
	 * SIGTERM, and wait for the exit.
	 * @return the exit code
	 */
	int terminate() throws InterruptedException {
		this.process.destroy();
		assertThat(this.process.waitFor(90, TimeUnit.SECONDS)).as("broker-service exits after SIGTERM").isTrue();
		return this.process.exitValue();
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Wait until {@code path} answers {@code expected}; a failure shows the end of the process's log. */
	void awaitStatus(String path, int expected) {
		try {
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
				.until(() -> status(path) == expected);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			throw new AssertionError(path + " did not answer " + expected + " within 90 s; the end of the log:\n"
					+ logTail(), ex);
		}
	}

	int status(String path) throws Exception {
		return request(path, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	String get(String path) throws Exception {
		return request(path, HttpResponse.BodyHandlers.ofString()).body();
	}

	private <T> HttpResponse<T> request(String path, HttpResponse.BodyHandler<T> handler) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://" + this.host + ":" + this.managementPort + path))
			.timeout(Duration.ofSeconds(20));
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), handler);
	}

	/** @return the last 60 lines the process logged, for failure messages */
	String logTail() {
		try {
			List<String> lines = java.nio.file.Files.readAllLines(this.directory.resolve("service.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (isAlive()) {
			this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * A port free now, below the kernel's ephemeral range (32768 and up on Linux), never handed out before by this
	 * JVM: a port the system picked from the ephemeral range could be taken, between this call and the bind, by an
	 * outgoing connection of another node starting at the same time.
	 */
	static int freePort() throws IOException {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
			if (!HANDED_OUT.add(port)) {
				continue;
			}
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// in use: another one
			}
		}
		throw new IOException("no free port between 20000 and 32000");
	}

}
