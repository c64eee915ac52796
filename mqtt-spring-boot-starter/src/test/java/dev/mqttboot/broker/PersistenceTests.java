package dev.mqttboot.broker;

import dev.mqttboot.broker.moquette.MoquetteBroker;

import dev.mqttboot.core.TopicLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Persistent sessions and retained messages survive a graceful broker restart, and the store lives only in the
 * configured directory.
 */
class PersistenceTests {

	@TempDir
	Path storeDirectory;

	@Test
	void queuedQos1AndQos2MessagesAndRetainedMessagesSurviveAGracefulRestart() throws Exception {
		Set<String> workingDirectoryBefore = listing(Path.of("").toAbsolutePath());
		MoquetteBroker first = broker(0);
		first.start();
		int port = first.ports().mqtt();
		String url = "tcp://127.0.0.1:" + port;
		MqttTestOptions persistent = new MqttTestOptions();
		persistent.cleanSession(false);
		try {
			try (MqttTestClient subscriber = MqttTestClient.connect(url, "persistent-sub", persistent)) {
				subscriber.subscribe("orders/#", 2);
			}
			try (MqttTestClient publisher = MqttTestClient.connect(url, "publisher")) {
				publisher.publish("orders/1", "qos1-while-offline", 1, false);
				publisher.publish("orders/2", "qos2-while-offline", 2, false);
				publisher.publish("config/site", "retained-config", 1, true);
			}
		}
		finally {
			first.stop();
		}
		MoquetteBroker second = broker(port);
		second.start();
		try {
			try (MqttTestClient subscriber = MqttTestClient.connect(url, "persistent-sub", persistent)) {
				await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.received().size() >= 2);
				assertThat(subscriber.payloads()).containsExactly("qos1-while-offline", "qos2-while-offline");
			}
			try (MqttTestClient late = MqttTestClient.connect(url, "late-subscriber")) {
				late.subscribe("config/#", 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> !late.received().isEmpty());
				assertThat(late.payloads()).containsExactly("retained-config");
			}
		}
		finally {
			second.stop();
		}
		assertThat(listing(this.storeDirectory)).isNotEmpty();
		assertThat(listing(Path.of("").toAbsolutePath())).isEqualTo(workingDirectoryBefore);
	}

	private MoquetteBroker broker(int port) {
		BrokerSettings settings = new BrokerSettings("127.0.0.1", port, BrokerPorts.DISABLED, "/mqtt",
				BrokerPorts.DISABLED, BrokerPorts.DISABLED, null, BrokerSettings.ClientAuth.NONE, 256 * 1024,
				Duration.ofSeconds(10), Duration.ZERO, null,
				new BrokerSettings.Persistence(true, this.storeDirectory, Duration.ofSeconds(30)),
				new BrokerSettings.Security(true, java.util.List.of(), java.util.List.of()),
				new TopicLimits(128, 65535), new BrokerSettings.Buffers(32_768, 1_048_576),
				new BrokerSettings.QueueLimits(10_000, -1));
		return new MoquetteBroker(settings, BrokerPasswords.encoder());
	}

	private static Set<String> listing(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).collect(Collectors.toSet());
		}
	}

}
