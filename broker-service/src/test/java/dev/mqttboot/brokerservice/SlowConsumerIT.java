package dev.mqttboot.brokerservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One subscriber that stops reading must not take the broker down: broker-service with a 512 MB heap, a clean-session
 * QoS 1 subscriber that takes nothing off its socket, and 600,000 publishes of 1 KB at QoS 1, every one acknowledged to
 * the publisher. The broker stays alive and healthy, serves other clients meanwhile, and never runs out of heap.
 * <p>
 * What the subscriber gets once it reads again depends on the engine: {@code artemis} pages what does not fit in
 * memory to disk and delivers all 600,000; {@code moquette} holds up to {@code max-queued-messages} for the session
 * and drops the rest, each drop counted in {@code mqtt.broker.messages.dropped{reason=queue_full}}: delivered and
 * dropped add up to what was published.
 */
@Tag("slow")
@ParameterizedClass(name = "{0}")
@ValueSource(strings = { "artemis", "moquette" })
class SlowConsumerIT {

	private static final int COUNT = 600_000;

	@Parameter
	String engine;

	@TempDir
	Path directory;

	@Test
	void aSubscriberThatStopsReadingLeavesTheBrokerAliveAndItsHeapBounded() throws Exception {
		try (ServiceProcess service = new ServiceProcess(this.directory).env("MQTT_ENGINE", this.engine)
			.env("MQTT_ALLOW_ANONYMOUS", "true")
			.javaOptions("-Xmx512m")
			.start();
				MqttTestClient slow = MqttTestClient.connect(service.mqttUrl(), "slow", new MqttTestOptions().keepAlive(Duration.ZERO))) {
			slow.subscribe("flood/#", 1);
			slow.pauseReading();
			try (MqttTestClient publisher = MqttTestClient.connect(service.mqttUrl(), "flooder")) {
				publisher.publishInWindow("flood/a", NumberedPayloads.of("m-", COUNT, 1024), 1, 200);
			}

			// Others are served while the slow subscriber still holds everything up.
			try (MqttTestClient other = MqttTestClient.connect(service.mqttUrl(), "other");
					MqttTestClient sender = MqttTestClient.connect(service.mqttUrl(), "sender")) {
				other.subscribe("elsewhere/#", 1);
				sender.publishInWindow("elsewhere/x", NumberedPayloads.of("hello-", 10, 0), 1, 10);
				await().atMost(Duration.ofSeconds(60)).until(() -> other.received().size() == 10);
			}
			assertThat(service.status("/actuator/health/liveness")).as("liveness (includes the broker)").isEqualTo(200);

			slow.resumeReading();
			if (this.engine.equals("artemis")) {
				await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
					.until(() -> slow.counts().size() == COUNT);
			}
			else {
				// Each message was either queued for the subscriber (then delivered) or dropped and counted.
				await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
					.until(() -> slow.counts().size() + dropped(service) == COUNT);
				assertThat(slow.counts().size()).as("at least the session's queue limit delivered")
					.isGreaterThanOrEqualTo(10_000);
			}
			// The figures of the run, for the record (the test's output file).
			System.out.printf("%s: %d of %d delivered after the stall, %d dropped (queue_full), peak RSS %s%n",
					this.engine, slow.counts().size(), COUNT, dropped(service), peakResident(service));
			assertThat(service.isAlive()).isTrue();
			assertThat(service.status("/actuator/health/liveness")).isEqualTo(200);
			assertThat(Files.readString(this.directory.resolve("service.log"))).doesNotContain("OutOfMemoryError");
		}
	}

	private static String peakResident(ServiceProcess service) throws Exception {
		return Files.readAllLines(Path.of("/proc", String.valueOf(service.pid()), "status"))
			.stream()
			.filter((line) -> line.startsWith("VmHWM:"))
			.map((line) -> line.substring(6).strip())
			.findFirst()
			.orElse("unknown");
	}

	private static long dropped(ServiceProcess service) throws Exception {
		Matcher matcher = Pattern.compile("(?m)^mqtt_broker_messages_dropped_total\\{[^}]*reason=\"queue_full\"[^}]*} (\\S+)")
			.matcher(service.get("/actuator/prometheus"));
		return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
	}

}
