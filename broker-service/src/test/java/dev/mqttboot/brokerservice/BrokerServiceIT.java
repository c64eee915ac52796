package dev.mqttboot.brokerservice;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * broker-service as it ships: its jar started with {@code java -jar}, served to mosquitto_pub/mosquitto_sub, probed on
 * its management port, stopped with SIGTERM (exit 0), and restarted with its persisted state; on its default engine
 * (artemis) and with {@code MQTT_ENGINE=moquette}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = { "default", "moquette" })
class BrokerServiceIT {

	@Parameter
	String engine;

	@TempDir
	Path directory;

	private final List<Process> started = new ArrayList<>();

	private int mqttPort;

	private int managementPort;

	private Map<String, String> environment;

	@BeforeEach
	void prepare() throws IOException {
		boolean tools = new File("/usr/bin/mosquitto_pub").canExecute() && new File("/usr/bin/mosquitto_sub").canExecute();
		if ("true".equals(System.getenv("CI"))) {
			assertThat(tools).as("CI installs mosquitto-clients").isTrue();
		}
		assumeTrue(tools, "mosquitto-clients not installed; skipping");
		Path users = Files.writeString(this.directory.resolve("users"), "device:{noop}device-secret\n");
		this.mqttPort = freePort();
		this.managementPort = freePort();
		this.environment = new java.util.HashMap<>(Map.of("MQTT_PORT", String.valueOf(this.mqttPort), "MQTT_WS_PORT",
				String.valueOf(freePort()), "MANAGEMENT_PORT", String.valueOf(this.managementPort), "HTTP_PORT",
				String.valueOf(freePort()), "MQTT_DATA_DIR", this.directory.resolve("data").toString(),
				"MQTT_USERS_FILE", "file:" + users, "MQTT_CONFIG_DIR", this.directory.resolve("config").toString()));
		if (!this.engine.equals("default")) {
			this.environment.put("MQTT_ENGINE", this.engine);
		}
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (Process process : this.started) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void servesMqttAnswersProbesShutsDownGracefullyAndKeepsItsStateAcrossARestart() throws Exception {
		Process service = start();
		awaitProbe("/actuator/health/readiness");
		assertThat(status("/actuator/health/liveness")).isEqualTo(200);
		assertThat(get("/actuator/prometheus")).contains("mqtt_broker_connections");
		assertThat(Files.readString(this.directory.resolve("service.log")))
			.contains(this.engine.equals("moquette") ? "(MQTT 3.1.1, Moquette)" : "(MQTT 3.1.1 and 5, Artemis)");

		// Anonymous access is off by default.
		assertThat(mosquitto("mosquitto_pub", "-t", "x", "-m", "y").exitCode()).isNotZero();
		// A persistent session subscribes, then goes away; a message is queued for it, and one is retained.
		Result subscribe = mosquitto("mosquitto_sub", "-u", "device", "-P", "device-secret", "-c", "-i", "keeper",
				"-q", "1", "-t", "plant/#", "-W", "2");
		assertThat(subscribe.output()).doesNotContain("Error");
		assertThat(mosquitto("mosquitto_pub", "-u", "device", "-P", "device-secret", "-q", "1", "-t", "plant/queued",
				"-m", "while-away").exitCode()).isZero();
		assertThat(mosquitto("mosquitto_pub", "-u", "device", "-P", "device-secret", "-q", "1", "-r", "-t",
				"status/plant", "-m", "retained-state").exitCode()).isZero();

		service.destroy(); // SIGTERM
		assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(service.exitValue()).isZero();

		start();
		awaitProbe("/actuator/health/readiness");
		Result queued = mosquitto("mosquitto_sub", "-u", "device", "-P", "device-secret", "-c", "-i", "keeper", "-q",
				"1", "-t", "plant/#", "-C", "1", "-W", "15", "-v");
		assertThat(queued.exitCode()).as(queued.output()).isZero();
		assertThat(queued.output().strip()).isEqualTo("plant/queued while-away");
		Result retained = mosquitto("mosquitto_sub", "-u", "device", "-P", "device-secret", "-t", "status/#", "-C",
				"1", "-W", "15", "-v");
		assertThat(retained.output().strip()).isEqualTo("status/plant retained-state");
	}

	private Process start() throws IOException {
		File jar = new File("target/broker-service.jar");
		assertThat(jar).exists();
		ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
				jar.getAbsolutePath())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("service.log").toFile()));
		builder.environment().putAll(this.environment);
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	private void awaitProbe(String path) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> status(path) == 200);
	}

	private int status(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private String get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private Result mosquitto(String tool, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("/usr/bin/" + tool, "-h", "127.0.0.1", "-p",
				String.valueOf(this.mqttPort)));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
				StandardCharsets.UTF_8));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private record Result(int exitCode, String output) {
	}

}
