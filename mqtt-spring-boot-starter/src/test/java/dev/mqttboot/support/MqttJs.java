package dev.mqttboot.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * MQTT.js (the npm package {@code mqtt}) as a third-party client, through {@code src/test/node/mqttjs-client.mjs}.
 * Skipped with a message where Node.js or the package is missing ({@code npm ci --prefix src/test/node} installs it);
 * required in CI.
 */
public final class MqttJs {

	private static final Path DIRECTORY = Path.of("src", "test", "node");

	private static final Path SCRIPT = DIRECTORY.resolve("mqttjs-client.mjs");

	private MqttJs() {
	}

	/** Skip the calling test when Node.js or MQTT.js is missing (fail instead under CI=true). */
	public static void assumeInstalled() {
		boolean installed = node() != null && Files.isRegularFile(DIRECTORY.resolve("node_modules/mqtt/package.json"));
		RequiredTool.require(installed, "Node.js or MQTT.js", "npm ci --prefix " + DIRECTORY);
	}

	/** Publish one message and wait for the client to finish (after PUBACK/PUBCOMP for QoS 1/2). */
	public static Result publish(String url, String topic, int qos, String payload, boolean retain,
			Map<String, String> environment) throws IOException, InterruptedException {
		Process process = start(environment, "publish", url, topic, String.valueOf(qos), payload,
				retain ? "retain" : "");
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("MQTT.js publish did not finish in 30 s");
		}
		return new Result(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	/** Start a subscriber; returns once its SUBACK is in. */
	public static Subscriber subscribe(String url, String filter, int qos, int count, Duration timeout,
			Map<String, String> environment) throws IOException {
		Process process = start(environment, "subscribe", url, filter, String.valueOf(qos), String.valueOf(count),
				String.valueOf(timeout.toMillis()));
		Subscriber subscriber = new Subscriber(process);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> subscriber.lines().stream().anyMatch((line) -> line.startsWith("ready")
					|| line.startsWith("error")) || !process.isAlive());
		return subscriber;
	}

	private static Process start(Map<String, String> environment, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(node(), SCRIPT.toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		return builder.start();
	}

	private static String node() {
		for (String candidate : new String[] { "/usr/bin/node", "/usr/local/bin/node" }) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		return null;
	}

	/** What a finished command printed, and how it exited. */
	public record Result(int exitCode, String output) {
	}

	/** A running MQTT.js subscriber and the lines it printed so far. */
	public static final class Subscriber implements AutoCloseable {

		private final Process process;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		Subscriber(Process process) {
			this.process = process;
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = in.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the process ended
				}
			}, "mqttjs-subscriber-output");
			reader.setDaemon(true);
			reader.start();
		}

		public List<String> lines() {
			return this.lines;
		}

		/** The JSON lines of the messages received. */
		public List<String> messages() {
			return this.lines.stream().filter((line) -> line.startsWith("{")).toList();
		}

		/** Wait for the subscriber to exit; returns its exit code. */
		public int awaitExit(Duration timeout) throws InterruptedException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("MQTT.js subscriber still running; printed " + this.lines);
			}
			return this.process.exitValue();
		}

		@Override
		public void close() {
			this.process.destroyForcibly();
		}

	}

}
