package dev.mqttboot.brokerservice;

import dev.mqttboot.support.RequiredTool;
import dev.mqttboot.support.RequiresTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * broker-service as it ships: its jar started with {@code java -jar}, served to mosquitto_pub/mosquitto_sub, probed on
 * its management port, stopped with SIGTERM (exit 0), and restarted with its persisted state; on its default engine
 * (artemis) and with {@code MQTT_ENGINE=moquette}.
 */
@RequiresTools(RequiredTool.MOSQUITTO_CLIENTS)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = { "default", "moquette" })
class BrokerServiceIT {

	@Parameter
	String engine;

	@TempDir
	Path directory;

	private ServiceProcess service;

	@BeforeEach
	void prepare() throws IOException {
		Path users = Files.writeString(this.directory.resolve("users"), "device:{noop}device-secret\n");
		this.service = new ServiceProcess(this.directory).env("MQTT_WS_PORT", String.valueOf(ServiceProcess.freePort()))
			.env("MQTT_USERS_FILE", "file:" + users);
		if (!this.engine.equals("default")) {
			this.service.env("MQTT_ENGINE", this.engine);
		}
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void servesMqttAnswersProbesShutsDownGracefullyAndKeepsItsStateAcrossARestart() throws Exception {
		this.service.start();
		assertThat(this.service.status("/actuator/health/liveness")).isEqualTo(200);
		assertThat(this.service.get("/actuator/prometheus")).contains("mqtt_broker_connections");
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

		assertThat(this.service.terminate()).as("exit code after SIGTERM").isZero();

		this.service.start();
		Result queued = mosquitto("mosquitto_sub", "-u", "device", "-P", "device-secret", "-c", "-i", "keeper", "-q",
				"1", "-t", "plant/#", "-C", "1", "-W", "15", "-v");
		assertThat(queued.exitCode()).as(queued.output()).isZero();
		assertThat(queued.output().strip()).isEqualTo("plant/queued while-away");
		Result retained = mosquitto("mosquitto_sub", "-u", "device", "-P", "device-secret", "-t", "status/#", "-C",
				"1", "-W", "15", "-v");
		assertThat(retained.output().strip()).isEqualTo("status/plant retained-state");
	}

	private Result mosquitto(String tool, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("/usr/bin/" + tool, "-h", "127.0.0.1", "-p",
				String.valueOf(this.service.mqttPort())));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
				StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

}
