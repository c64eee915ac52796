package dev.mqttboot.client;

import dev.mqttboot.core.TopicLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import dev.mqttboot.broker.BrokerPasswords;
import dev.mqttboot.broker.BrokerPorts;
import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.moquette.MoquetteBroker;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A client connection against a broker that goes away and comes back: reconnect with backoff (also after a failed
 * first connect), subscriptions restored, the bounded offline buffer, the last will, and two connections side by
 * side.
 */
class ConnectionResilienceTests {

	@TempDir
	Path store;

	private MoquetteBroker broker(int port) {
		return new MoquetteBroker(new BrokerSettings("127.0.0.1", port, BrokerPorts.DISABLED, "/mqtt",
				BrokerPorts.DISABLED, BrokerPorts.DISABLED, null, BrokerSettings.ClientAuth.NONE, 256 * 1024,
				Duration.ofSeconds(10), Duration.ZERO, null, new BrokerSettings.Persistence(true, this.store, Duration.ofSeconds(30)),
				new BrokerSettings.Security(true, List.of(), List.of()), new TopicLimits(128, 65535), new BrokerSettings.Buffers(32_768, 1_048_576),
				new BrokerSettings.QueueLimits(10_000, -1)),
				BrokerPasswords.encoder());
	}

	private static TestBroker client(int port, String... more) {
		return TestBroker.startWithClients(TestBroker.concat(new String[] { "mqtt.broker.enabled=false",
				"mqtt.client.url=tcp://127.0.0.1:" + port, "mqtt.client.client-id=resilient",
				"mqtt.client.reconnect.initial-delay=100ms", "mqtt.client.reconnect.max-delay=500ms" }, more));
	}

	@Test
	void afterABrokerRestartTheClientReconnectsRestoresSubscriptionsAndDeliversWhatWasBuffered() throws Exception {
		MoquetteBroker broker = broker(0);
		broker.start();
		int port = broker.ports().mqtt();
		String url = "tcp://127.0.0.1:" + port;
		List<Object> events = new CopyOnWriteArrayList<>();
		try (TestBroker app = client(port, "mqtt.client.offline-buffer.size=2")) {
			app.context().addApplicationListener((ApplicationListener<PayloadApplicationEvent<Object>>) (event) -> {
				if (event.getPayload() instanceof MqttClientEvent clientEvent) {
					events.add(clientEvent);
				}
			});
			MqttConnection connection = app.bean(MqttConnections.class).get("default");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			List<String> received = new CopyOnWriteArrayList<>();
			connection.subscribe("restore/#", 1,
					(message) -> received.add(new String(message.payload(), StandardCharsets.UTF_8)));
			MqttTestOptions persistent = new MqttTestOptions();
			persistent.cleanSession(false);
			try (MqttTestClient subscriber = MqttTestClient.connect(url, "outage-watcher", persistent)) {
				subscriber.subscribe("outage/#", 2);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
				.anyMatch((e) -> e instanceof MqttClientEvent.SubscriptionGranted granted
						&& granted.topicFilter().equals("restore/#")));

			broker.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isConnected());
			MqttOperations template = app.bean(MqttOperations.class);
			CompletableFuture<Void> first = template.publish("outage/1", "buffered-qos1", PublishOptions.qos(1));
			CompletableFuture<Void> second = template.publish("outage/2", "buffered-qos2", PublishOptions.qos(2));
			CompletableFuture<Void> third = template.publish("outage/3", "overflow", PublishOptions.qos(1));
			assertThat(third).isCompletedExceptionally();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(third::get)
				.havingCause()
				.isInstanceOf(MqttPublishException.class)
				.withMessageContaining("offline buffer is full (2 messages");
			assertThat(first).isNotDone();
			assertThat(connection.lastDisconnect()).isPresent();

			broker = broker(port);
			broker.start();
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			first.get();
			second.get();
			assertThat(events).anySatisfy((e) -> assertThat(e).isInstanceOf(MqttClientEvent.ConnectionLost.class));
			assertThat(events).anySatisfy((e) -> assertThat(e).isInstanceOfSatisfying(
					MqttClientEvent.ReconnectAttempt.class,
					(attempt) -> assertThat(attempt.delay()).isLessThanOrEqualTo(Duration.ofMillis(500))));

			try (MqttTestClient subscriber = MqttTestClient.connect(url, "outage-watcher", persistent)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() >= 2);
				assertThat(subscriber.payloads()).containsExactly("buffered-qos1", "buffered-qos2");
			}
			try (MqttTestClient publisher = MqttTestClient.connect(url, "after-restart")) {
				publisher.publish("restore/x", "after restart", 1, false);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after restart"));
		}
		finally {
			broker.stop();
		}
	}

	@Test
	void theApplicationStartsWhileTheBrokerIsDownAndConnectsWhenItComesUp() throws Exception {
		int port;
		try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getByName("127.0.0.1"))) {
			port = free.getLocalPort();
		}
		try (TestBroker app = client(port)) {
			MqttConnection connection = app.bean(MqttConnections.class).get("default");
			assertThat(connection.isConnected()).isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.lastDisconnect().isPresent());
			MoquetteBroker broker = broker(port);
			broker.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			}
			finally {
				broker.stop();
			}
		}
	}

	@Test
	void theLastWillIsPublishedWhenTheConnectionDiesWithoutDisconnect() throws Exception {
		try (TestBroker app = TestBroker.startWithClients("mqtt.client.client-id=with-will",
				"mqtt.client.will.topic=clients/with-will/status", "mqtt.client.will.payload=offline")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> app.bean(MqttConnections.class).get("default").isConnected());
			try (MqttTestClient watcher = MqttTestClient.connect(app.tcpUrl(), "will-watcher")) {
				watcher.subscribe("clients/+/status", 1);
				assertThat(app.broker().disconnect("with-will")).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.received().isEmpty());
				assertThat(watcher.payloads()).containsExactly("offline");
			}
		}
	}

	@Test
	void twoNamedConnectionsWorkSideBySideOnDifferentBrokers() throws Exception {
		MoquetteBroker second = broker(0);
		second.start();
		String secondUrl = "tcp://127.0.0.1:" + second.ports().mqtt();
		try (TestBroker app = TestBroker.startWithClients("mqtt.client.client-id=first-id",
				"mqtt.clients.second.url=" + secondUrl, "mqtt.clients.second.client-id=second-id")) {
			MqttConnections connections = app.bean(MqttConnections.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connections.all().stream().allMatch(MqttConnection::isConnected));
			assertThat(connections.get("second").keepAliveSeconds()).isEqualTo(60);
			try (MqttTestClient onFirst = MqttTestClient.connect(app.tcpUrl(), "watch-first");
					MqttTestClient onSecond = MqttTestClient.connect(secondUrl, "watch-second")) {
				onFirst.subscribe("side/#", 1);
				onSecond.subscribe("side/#", 1);
				MqttOperations template = app.bean(MqttOperations.class);
				template.publish("side/a", "to first").get();
				template.forClient("second").publish("side/b", "to second").get();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !onFirst.received().isEmpty() && !onSecond.received().isEmpty());
				assertThat(onFirst.payloads()).containsExactly("to first");
				assertThat(onSecond.payloads()).containsExactly("to second");
			}
			assertThat(app.broker().connectedClients()).anySatisfy((c) -> assertThat(c.clientId()).isEqualTo("first-id"));
			assertThat(second.connectedClients()).anySatisfy((c) -> assertThat(c.clientId()).isEqualTo("second-id"));
		}
		finally {
			second.stop();
		}
	}

}
