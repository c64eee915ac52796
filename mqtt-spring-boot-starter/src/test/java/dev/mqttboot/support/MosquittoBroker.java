package dev.mqttboot.support;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Eclipse Mosquitto (Debian package {@code mosquitto}) on a free loopback port with its own config file: the
 * external MQTT 5 broker of the interop tests. Skipped with a message where it is not installed; required in CI.
 */
public final class MosquittoBroker implements AutoCloseable {

	private static final File BINARY = new File("/usr/sbin/mosquitto");

	private final Path config;

	private final int port;

	private Process process;

	private MosquittoBroker(Path config, int port) {
		this.config = config;
		this.port = port;
	}

	/** Skip the calling test when Mosquitto is missing (fail instead under CI=true). */
	public static void assumeInstalled() {
		RequiredTool.MOSQUITTO.assume();
	}

	public static MosquittoBroker start(Path directory) throws IOException {
		return start(directory, new String[0]);
	}

	/** Start with more configuration lines (e.g. limits). */
	public static MosquittoBroker start(Path directory, String... extraConfig) throws IOException {
		assumeInstalled();
		int port = FreePorts.loopback();
		Path config = directory.resolve("mosquitto.conf");
		Files.writeString(config, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
				"persistence false", "max_queued_messages 100000", "log_dest stderr", "log_type error",
				"log_type warning", String.join("\n", extraConfig), ""));
		MosquittoBroker broker = new MosquittoBroker(config, port);
		broker.startProcess();
		return broker;
	}

	/** Start (again) on the same port. */
	public void startProcess() throws IOException {
		this.process = new ProcessBuilder(BINARY.getPath(), "-c", this.config.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.config.resolveSibling("mosquitto.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return true;
			}
		});
	}

	/** Stop the process (SIGTERM, then SIGKILL after 10 s). */
	public void stopProcess() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "tcp://127.0.0.1:" + this.port;
	}

	@Override
	public void close() throws InterruptedException {
		stopProcess();
	}

}
