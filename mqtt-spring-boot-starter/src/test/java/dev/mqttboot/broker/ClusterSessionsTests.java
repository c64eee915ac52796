package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.ArrivalOrder;
import dev.mqttboot.support.InProcessCluster;
import dev.mqttboot.support.ReceivingV5Callback;
import dev.mqttboot.support.TestBroker;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent session is the cluster's: a client that reconnects to another node finds its session there (session
 * present, its subscriptions, what was queued for it, QoS 2 exactly once), and the node it left keeps nothing of it.
 * Three Artemis nodes in one JVM, each with its journal, on loopback; the clients are Paho's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSessionsTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final List<TestBroker> nodes = new ArrayList<>();

	@BeforeAll
	void startCluster(@TempDir Path store) {
		InProcessCluster cluster = new InProcessCluster(store, 3);
		for (int number = 1; number <= 3; number++) {
			this.nodes.add(cluster.start(number));
		}
	}

	@AfterAll
	void stopCluster() {
		this.nodes.forEach(TestBroker::close);
	}

	@Test
	void aPersistentSessionFollowsItsClientToEveryNodeItReconnectsTo() {
		MqttTestOptions persistent = new MqttTestOptions().cleanSession(false);
		try (MqttTestClient publisher = MqttTestClient.connect(url(3), "roam-publisher")) {
			try (MqttTestClient roamer = MqttTestClient.connect(url(1), "roamer", persistent)) {
				roamer.subscribe("roam/one/#", 1);
				roamer.subscribe("roam/two/#", 2);
				awaitForwarding(publisher, roamer, "roam/one/probe", "roam/two/probe");
				roamer.disconnect();
			}
			publishNumbered(publisher, "roam/one/a", "first-", 200, 1);
			publishNumbered(publisher, "roam/two/a", "exactly-", 50, 2);
			try (MqttTestClient moved = MqttTestClient.connect(url(2), "roamer", persistent)) {
				// No SUBSCRIBE: the session brought its subscriptions, and what was queued for them on node 1.
				assertThat(moved.sessionPresent()).isTrue();
				awaitNumbered(moved, "roam/one/a", "first-", 200);
				awaitNumbered(moved, "roam/two/a", "exactly-", 50);
				await().atMost(WAIT).until(() -> node(1).backlog("roamer").isEmpty());
				publishNumbered(publisher, "roam/one/a", "then-", 20, 1);
				awaitNumbered(moved, "roam/one/a", "then-", 20);
				assertThat(counts(moved, "exactly-").values()).as("QoS 2 exactly once").containsOnly(1);
				moved.disconnect();
			}
			publishNumbered(publisher, "roam/one/a", "back-", 30, 1);
			try (MqttTestClient back = MqttTestClient.connect(url(1), "roamer", persistent)) {
				assertThat(back.sessionPresent()).isTrue();
				awaitNumbered(back, "roam/one/a", "back-", 30);
				await().atMost(WAIT).until(() -> node(2).backlog("roamer").isEmpty());
			}
		}
	}

	@Test
	void aCleanSessionOnAnotherNodeDiscardsTheSessionEverywhere() {
		MqttTestOptions persistent = new MqttTestOptions().cleanSession(false);
		try (MqttTestClient publisher = MqttTestClient.connect(url(3), "discard-publisher")) {
			try (MqttTestClient first = MqttTestClient.connect(url(1), "discarded", persistent)) {
				first.subscribe("discard/#", 1);
				awaitForwarding(publisher, first, "discard/probe");
				first.disconnect();
			}
			publishNumbered(publisher, "discard/a", "old-", 10, 1);
			try (MqttTestClient clean = MqttTestClient.connect(url(2), "discarded")) {
				assertThat(clean.sessionPresent()).isFalse();
				clean.disconnect();
			}
			await().atMost(WAIT).until(() -> node(1).backlog("discarded").isEmpty());
			try (MqttTestClient again = MqttTestClient.connect(url(1), "discarded", persistent)) {
				assertThat(again.sessionPresent()).isFalse();
				again.subscribe("discard/#", 1);
				awaitForwarding(publisher, again, "discard/marker");
				assertThat(counts(again, "old-")).isEmpty();
			}
		}
	}

	@Test
	void anMqtt5ClientTakenOverOnAnotherNodeIsToldSoAndItsSessionKeepsItsIdentifiers() throws Exception {
		List<MqttMessage> received = new CopyOnWriteArrayList<>();
		List<Integer> reasons = new CopyOnWriteArrayList<>();
		MqttAsyncClient first = new MqttAsyncClient(url(1), "v5-roamer", new MemoryPersistence());
		first.setCallback(new ReceivingV5Callback(received::add, (response) -> reasons.add(response.getReturnCode())));
		MqttAsyncClient second = v5Client(url(2), "v5-roamer", received);
		try (MqttTestClient publisher = MqttTestClient.connect(url(3), "v5-roam-publisher")) {
			assertThat(connectV5(first).getSessionPresent()).isFalse();
			MqttProperties identifier = new MqttProperties();
			identifier.setSubscriptionIdentifier(7);
			first.subscribe(new MqttSubscription[] { new MqttSubscription("v5roam/#", 1) }, null, null, identifier)
				.waitForCompletion(10_000);
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
				publisher.publish("v5roam/probe", "probe", 1, false);
				return !received.isEmpty();
			});
			// The same client id on node 2 while the first connection is open: node 1 closes that one with DISCONNECT
			// 0x8E (Session taken over), and node 2 has the session.
			assertThat(connectV5(second).getSessionPresent()).isTrue();
			await().atMost(WAIT).until(() -> !first.isConnected());
			await().atMost(WAIT).until(() -> !reasons.isEmpty());
			assertThat(reasons).containsExactly(0x8E);
			received.clear();
			publisher.publish("v5roam/after", "after", 1, false);
			await().atMost(WAIT).until(() -> received.stream()
				.anyMatch((message) -> "after".equals(new String(message.getPayload(), StandardCharsets.UTF_8))));
			assertThat(received.get(received.size() - 1).getProperties().getSubscriptionIdentifiers())
				.containsExactly(7);
			await().atMost(WAIT).until(() -> node(1).backlog("v5-roamer").isEmpty());
		}
		finally {
			if (second.isConnected()) {
				second.disconnect().waitForCompletion(10_000);
			}
			first.close(true);
			second.close(true);
		}
	}

	@Test
	void anExpiredMqtt5SessionIsNotResumedOnAnotherNode() throws Exception {
		List<MqttMessage> received = new CopyOnWriteArrayList<>();
		MqttAsyncClient first = v5Client(url(1), "v5-expiring", received);
		MqttAsyncClient second = v5Client(url(2), "v5-expiring", received);
		try (MqttTestClient publisher = MqttTestClient.connect(url(3), "v5-expiry-publisher")) {
			connectV5(first, 1);
			first.subscribe(new MqttSubscription[] { new MqttSubscription("v5expiry/#", 1) }).waitForCompletion(10_000);
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
				publisher.publish("v5expiry/probe", "probe", 1, false);
				return !received.isEmpty();
			});
			first.disconnect().waitForCompletion(10_000);
			// Past its 1 s expiry it is gone on its node; the other nodes know when it ended.
			await().atMost(WAIT).until(() -> node(1).backlog("v5-expiring").isEmpty());
			assertThat(connectV5(second, 300).getSessionPresent()).isFalse();
		}
		finally {
			if (second.isConnected()) {
				second.disconnect().waitForCompletion(10_000);
			}
			first.close(true);
			second.close(true);
		}
	}

	private static MqttAsyncClient v5Client(String url, String clientId, List<MqttMessage> received)
			throws Exception {
		MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
		client.setCallback(new ReceivingV5Callback(received::add));
		return client;
	}

	private static IMqttToken connectV5(MqttAsyncClient client) throws Exception {
		return connectV5(client, 300);
	}

	private static IMqttToken connectV5(MqttAsyncClient client, long sessionExpirySeconds) throws Exception {
		MqttConnectionOptions options = new MqttConnectionOptions();
		options.setCleanStart(false);
		options.setSessionExpiryInterval(sessionExpirySeconds);
		IMqttToken token = client.connect(options);
		token.waitForCompletion(10_000);
		return token;
	}

	private String url(int number) {
		return this.nodes.get(number - 1).tcpUrl();
	}

	private MqttBroker node(int number) {
		return this.nodes.get(number - 1).broker();
	}

	/** Subscriptions made on one node reach the others a moment later: publish probes until each arrived. */
	private static void awaitForwarding(MqttTestClient publisher, MqttTestClient subscriber, String... topics) {
		for (String topic : topics) {
			await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
				publisher.publish(topic, topic, 1, false);
				return subscriber.counts().containsKey(topic);
			});
		}
	}

	private static void publishNumbered(MqttTestClient publisher, String topic, String prefix, int count, int qos) {
		List<byte[]> payloads = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			payloads.add((prefix + i).getBytes(StandardCharsets.UTF_8));
		}
		publisher.publishInWindow(topic, payloads, qos, 10);
	}

	/** Wait for every numbered message, then check none came after a later one. */
	private static void awaitNumbered(MqttTestClient subscriber, String topic, String prefix, int count) {
		await().atMost(WAIT).until(() -> counts(subscriber, prefix).size() == count);
		List<Integer> sequence = subscriber.received()
			.stream()
			.filter((message) -> message.topic().equals(topic) && message.text().startsWith(prefix))
			.map((message) -> Integer.parseInt(message.text().substring(prefix.length())))
			.toList();
		assertThat(ArrivalOrder.lateArrivals(sequence, true)).as("late arrivals of " + prefix).isEmpty();
	}

	private static Map<String, Integer> counts(MqttTestClient subscriber, String prefix) {
		Map<String, Integer> counts = new java.util.TreeMap<>();
		subscriber.counts().forEach((payload, times) -> {
			if (payload.startsWith(prefix)) {
				counts.put(payload, times);
			}
		});
		return counts;
	}

}
