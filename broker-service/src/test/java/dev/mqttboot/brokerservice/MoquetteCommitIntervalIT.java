package dev.mqttboot.brokerservice;

import java.nio.file.Path;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limit of durability on the {@code moquette} engine, shown rather than only written down: its store is committed
 * every {@code persistence.autosave-interval}, so a {@code kill -9} loses what changed since the last commit, here a
 * whole persistent session and the messages acknowledged for it. {@link CrashDurabilityIT} shows what survives.
 */
@Tag("slow")
class MoquetteCommitIntervalIT {

	@TempDir
	Path directory;

	@Test
	void aKillMinus9LosesThePersistentSessionsAndMessagesOfTheLastAutosaveInterval() throws Exception {
		// A commit interval longer than the test: nothing of the session is on disk when the process dies.
		try (ServiceProcess service = new ServiceProcess(this.directory).env("MQTT_ENGINE", "moquette")
			.env("MQTT_ALLOW_ANONYMOUS", "true")
			.env("MQTT_BROKER_MOQUETTE_AUTOSAVEINTERVAL", "1h")
			.start()) {
			try (MqttTestClient keeper = MqttTestClient.connect(service.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
				keeper.subscribe("durable/q1/#", 1);
				keeper.disconnect();
			}
			try (MqttTestClient publisher = MqttTestClient.connect(service.mqttUrl(), "publisher")) {
				publisher.publishInWindow("durable/q1/a", NumberedPayloads.of("q1-", 100, 0), 1, 100);
			}
			service.kill();

			service.start();
			try (MqttTestClient keeper = MqttTestClient.connect(service.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
				assertThat(keeper.sessionPresent()).as("the session was never committed").isFalse();
			}
		}
	}

}
