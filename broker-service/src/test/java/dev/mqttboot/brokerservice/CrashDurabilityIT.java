package dev.mqttboot.brokerservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What broker-service keeps when its process is killed with SIGKILL (no shutdown, no flush), on each engine: a
 * persistent session goes offline, 1,000 QoS 1 and 1,000 QoS 2 messages are acknowledged to their publisher, the
 * broker is killed, restarted, and the session comes back for them; after it has consumed them all, a second kill
 * must not bring any of them back.
 * <p>
 * On {@code artemis} the kill comes right after the last acknowledgement: the journal holds everything it
 * acknowledged. On {@code moquette} it comes once the store has been committed (every
 * {@code persistence.autosave-interval}); what changed since the last commit is lost, which
 * {@link MoquetteCommitIntervalIT} shows.
 */
@Tag("slow")
@ParameterizedClass(name = "{0}")
@ValueSource(strings = { "artemis", "moquette" })
class CrashDurabilityIT {

	private static final int COUNT = 1_000;

	@Parameter
	String engine;

	@TempDir
	Path directory;

	private ServiceProcess service;

	private int probes;

	@AfterEach
	void stop() throws Exception {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void acknowledgedMessagesOfAnOfflinePersistentSessionSurviveKillMinus9AndAreNotDeliveredTwice() throws Exception {
		this.service = service("1s").start();
		try (MqttTestClient keeper = MqttTestClient.connect(this.service.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			keeper.subscribe("durable/q1/#", 1);
			keeper.subscribe("durable/q2/#", 2);
			keeper.disconnect();
		}
		try (MqttTestClient publisher = MqttTestClient.connect(this.service.mqttUrl(), "publisher")) {
			publisher.publishInWindow("durable/q1/a", NumberedPayloads.of("q1-", COUNT, 0), 1, 100);
			publisher.publishInWindow("durable/q2/a", NumberedPayloads.of("q2-", COUNT, 0), 2, 100);
		}
		awaitCommit();
		this.service.kill();

		this.service.start();
		try (MqttTestClient keeper = MqttTestClient.connect(this.service.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			assertThat(keeper.sessionPresent()).as("session present after kill -9").isTrue();
			await().atMost(Duration.ofSeconds(120))
				.untilAsserted(() -> assertThat(missing(keeper.counts())).as("not delivered after the kill").isEmpty());
			Map<String, Integer> received = keeper.counts();
			for (int i = 0; i < COUNT; i++) {
				assertThat(received).containsKey("q1-" + i);
				assertThat(received.get("q2-" + i)).as("q2-" + i + " delivered exactly once").isEqualTo(1);
			}
			keeper.disconnect();
		}
		awaitCommit();
		this.service.kill();

		this.service.start();
		try (MqttTestClient keeper = MqttTestClient.connect(this.service.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false));
				MqttTestClient publisher = MqttTestClient.connect(this.service.mqttUrl(), "marker")) {
			assertThat(keeper.sessionPresent()).isTrue();
			// A marker behind each queue: once both arrived, whatever the session still held came before them.
			publisher.publish("durable/q1/a", "marker-q1-0", 1, false);
			publisher.publish("durable/q2/a", "marker-q2-0", 2, false);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(keeper.counts()).containsKeys("marker-q1-0", "marker-q2-0"));
			assertThat(keeper.counts()).as("nothing consumed before the second kill comes back")
				.containsOnlyKeys("marker-q1-0", "marker-q2-0");
		}
	}

	private ServiceProcess service(String autosaveInterval) throws IOException {
		ServiceProcess process = new ServiceProcess(this.directory).env("MQTT_ENGINE", this.engine)
			.env("MQTT_ALLOW_ANONYMOUS", "true");
		if (this.engine.equals("moquette")) {
			process.env("MQTT_BROKER_MOQUETTE_AUTOSAVEINTERVAL", autosaveInterval);
		}
		return process;
	}

	/**
	 * Moquette only: wait until its store holds everything so far. A new persistent session connects (a change to
	 * the store, after every change before it), then the store file must be written after that and left alone for a
	 * while, so the commit that wrote it is complete. Artemis acknowledges only what its journal holds: nothing to
	 * wait for.
	 */
	private void awaitCommit() throws Exception {
		if (!this.engine.equals("moquette")) {
			return;
		}
		// A new client id each time: Moquette stores a session when it creates it, not when one reconnects.
		String probeId = "commit-probe-" + (++this.probes);
		try (MqttTestClient probe = MqttTestClient.connect(this.service.mqttUrl(), probeId, new MqttTestOptions().cleanSession(false))) {
			probe.disconnect();
		}
		Instant changed = Instant.now();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			Instant modified = Files.getLastModifiedTime(store()).toInstant();
			return modified.isAfter(changed) && modified.isBefore(Instant.now().minus(Duration.ofSeconds(2)));
		});
	}

	/** @return the ranges of messages not received yet, e.g. {@code [q1-0..q1-41, q2-900..q2-999]} */
	private static List<String> missing(Map<String, Integer> received) {
		List<String> ranges = new ArrayList<>();
		for (String prefix : List.of("q1-", "q2-")) {
			int first = -1;
			for (int i = 0; i <= COUNT; i++) {
				boolean absent = i < COUNT && !received.containsKey(prefix + i);
				if (absent && first < 0) {
					first = i;
				}
				else if (!absent && first >= 0) {
					ranges.add(prefix + first + ".." + prefix + (i - 1));
					first = -1;
				}
			}
		}
		return ranges;
	}

	private Path store() throws IOException {
		try (Stream<Path> files = Files.walk(this.directory.resolve("data"))) {
			return files.filter((file) -> file.getFileName().toString().equals("moquette_store.h2"))
				.findFirst()
				.orElseThrow();
		}
	}

}
