package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What the broker interface lets the application do on the broker itself, the way the broker-service console uses
 * it: publish as the broker, list and clear retained messages, watch a filter, read a session's backlog. Each is
 * checked against real MQTT clients on both engines.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class BrokerOperationsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static TestBroker broker;

	@Parameter
	BrokerEngine engine;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		broker = TestBroker.start(engine);
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
	}

	@Test
	void aMessagePublishedByTheBrokerReachesSubscribersAtTheirQos() throws Exception {
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "ops-subscriber")) {
			subscriber.subscribe("ops/live/+", 1);
			broker.broker().publish(message("ops/live/a", "from the broker", 2, false));
			await().atMost(WAIT).until(() -> subscriber.received().size() == 1);
			MqttTestClient.Received received = subscriber.received().get(0);
			assertThat(received.topic()).isEqualTo("ops/live/a");
			assertThat(received.text()).isEqualTo("from the broker");
			assertThat(received.qos()).isEqualTo(1);
			assertThat(received.retained()).isFalse();
		}
	}

	@Test
	void retainedMessagesAreListedByFilterReplayedAndClearedByAnEmptyOne() throws Exception {
		try (MqttTestClient client = MqttTestClient.connect(broker.tcpUrl(), "ops-retainer")) {
			client.publish("plant/1/temp", "21.5", 1, true);
			client.publish("plant/2/temp", "19.0", 0, true);
			client.publish("other/x", "no", 1, true);
			await().atMost(WAIT).until(() -> broker.broker().retainedMessages("plant/#").size() == 2);
		}
		broker.broker().publish(message("plant/3/temp", "from the broker", 1, true));
		// Listed once stored (Artemis adds a durable message to its queue when the journal write completes).
		await().atMost(WAIT).until(() -> broker.broker().retainedMessages("plant/+/temp").size() == 3);
		List<BrokerMessage> plant = broker.broker().retainedMessages("plant/+/temp");
		assertThat(plant).extracting(BrokerMessage::topic)
			.containsExactly("plant/1/temp", "plant/2/temp", "plant/3/temp");
		assertThat(plant).allMatch(BrokerMessage::retained);
		assertThat(text(plant.get(0))).isEqualTo("21.5");
		assertThat(plant.get(0).qos()).isEqualTo(1);
		assertThat(plant.get(1).qos()).isEqualTo(0);
		try (MqttTestClient late = MqttTestClient.connect(broker.tcpUrl(), "ops-late")) {
			late.subscribe("plant/3/temp", 1);
			await().atMost(WAIT).until(() -> late.payloads().contains("from the broker"));
			assertThat(late.received().get(0).retained()).isTrue();
		}
		broker.broker().publish(message("plant/1/temp", "", 1, true));
		await().atMost(WAIT).untilAsserted(() -> assertThat(broker.broker().retainedMessages("plant/#"))
			.extracting(BrokerMessage::topic)
			.containsExactly("plant/2/temp", "plant/3/temp"));
		assertThat(broker.broker().retainedMessages("other/#")).hasSize(1);
	}

	@Test
	void aFilterThatStartsWithAWildcardListsNoDollarTopic() throws Exception {
		broker.broker().publish(message("$internal/state", "hidden", 1, true));
		broker.broker().publish(message("visible/state", "shown", 1, true));
		await().atMost(WAIT).until(() -> broker.broker().retainedMessages("$internal/#").size() == 1
				&& broker.broker().retainedMessages("visible/#").size() == 1);
		assertThat(broker.broker().retainedMessages("#")).extracting(BrokerMessage::topic)
			.contains("visible/state")
			.doesNotContain("$internal/state");
		assertThat(broker.broker().retainedMessages("$internal/#")).extracting(BrokerMessage::topic)
			.containsExactly("$internal/state");
	}

	@Test
	void aWatchSeesTheMessagesOfItsFilterUntilClosed() throws Exception {
		List<BrokerMessage> seen = new CopyOnWriteArrayList<>();
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "ops-publisher")) {
			AutoCloseable watch = broker.broker().watch("watched/#", seen::add);
			publisher.publish("unwatched/a", "no", 1, false);
			publisher.publish("watched/a", "one", 1, false);
			broker.broker().publish(message("watched/b", "two", 0, true));
			// Moquette hands a client's PUBLISH to the watches from its interceptor threads, after the broker's own.
			await().atMost(WAIT).until(() -> seen.size() == 2);
			assertThat(seen).extracting(BrokerMessage::topic).containsExactlyInAnyOrder("watched/a", "watched/b");
			assertThat(seen).filteredOn((message) -> message.topic().equals("watched/a"))
				.singleElement()
				.satisfies((message) -> assertThat(text(message)).isEqualTo("one"));
			assertThat(seen).filteredOn((message) -> message.topic().equals("watched/b"))
				.singleElement()
				.satisfies((message) -> assertThat(message.retained()).isTrue());
			watch.close();
			publisher.publish("watched/c", "after", 1, false);
			// A probe through a second watch shows the messages went through the broker after the first closed.
			List<BrokerMessage> probe = new CopyOnWriteArrayList<>();
			try (AutoCloseable second = broker.broker().watch("watched/#", probe::add)) {
				publisher.publish("watched/d", "probe", 1, false);
				await().atMost(WAIT)
					.until(() -> probe.stream().anyMatch((message) -> message.topic().equals("watched/d")));
			}
			assertThat(seen).hasSize(2);
		}
	}

	@Test
	void aPersistentSessionAwayShowsItsQueuedMessages() throws Exception {
		MqttTestOptions persistent = new MqttTestOptions();
		persistent.cleanSession(false);
		try (MqttTestClient away = MqttTestClient.connect(broker.tcpUrl(), "ops-away", persistent)) {
			away.subscribe("queue/for/away", 1);
		}
		await().atMost(WAIT).until(() -> broker.broker().connectedClients().stream()
			.noneMatch((client) -> client.clientId().equals("ops-away")));
		for (int i = 0; i < 3; i++) {
			broker.broker().publish(message("queue/for/away", "m" + i, 1, false));
		}
		await().atMost(WAIT).until(() -> broker.broker().backlog("ops-away").map(SessionBacklog::queued).orElse(0L) == 3);
		assertThat(broker.broker().backlog("ops-away").get().inFlight()).isZero();
		assertThat(broker.broker().backlog("no-such-client")).isEmpty();
		try (MqttTestClient back = MqttTestClient.connect(broker.tcpUrl(), "ops-away", persistent)) {
			await().atMost(WAIT).until(() -> back.payloads().size() == 3);
			assertThat(back.payloads()).containsExactly("m0", "m1", "m2");
		}
	}

	@Test
	void anInvalidTopicOrFilterIsRefusedNamingTheProblem() {
		assertThatIllegalArgumentException().isThrownBy(() -> message("a/+", "x", 0, false))
			.withMessageContaining("wildcard");
		assertThatIllegalArgumentException().isThrownBy(() -> broker.broker().retainedMessages("a/#/b"))
			.withMessageContaining("'#'");
		assertThatIllegalArgumentException().isThrownBy(() -> broker.broker().watch("a/b#", (message) -> {
		})).withMessageContaining("'#'");
	}

	private static BrokerMessage message(String topic, String payload, int qos, boolean retained) {
		return new BrokerMessage(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
	}

	private static String text(BrokerMessage message) {
		return new String(message.payload(), StandardCharsets.UTF_8);
	}

}
