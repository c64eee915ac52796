package dev.mqttboot.brokerservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mqttboot.support.ArrivalOrder;
import dev.mqttboot.test.MqttConnectRefusedException;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three broker-service nodes on loopback, each the packaged jar in a JVM of its own, joined as an Artemis cluster
 * by static discovery, each with the same users, access rules and keep-alive ceiling; real MQTT clients (Paho v3
 * and v5) on different nodes.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

	@TempDir
	static Path directory;

	private ClusterNodes cluster;

	private static final int KEEP_ALIVE_CEILING = 40;

	@BeforeAll
	void startCluster() throws Exception {
		// The same users, access rules and keep-alive ceiling on every node, as an operator deploys them.
		Path users = Files.writeString(directory.resolve("users"), "device:{noop}device-secret\n");
		this.cluster = new ClusterNodes(directory, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"), (index, node) -> {
			Path config = Files.createDirectories(directory.resolve("node" + (index + 1)).resolve("config"));
			Files.writeString(config.resolve("application.yml"), """
					mqtt:
					  broker:
					    acl:
					      - topic: vault/#
					        access: deny-read
					""");
			node.env("MQTT_ALLOW_ANONYMOUS", "true")
				.env("MQTT_USERS_FILE", "file:" + users)
				.env("MQTT_MAX_KEEP_ALIVE", KEEP_ALIVE_CEILING + "s");
		}).start();
	}

	@AfterAll
	void stopCluster() throws Exception {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private String url(int node) {
		return this.cluster.node(node).mqttUrl();
	}

	@Test
	void everyNodeSeesTheThreeMembers() throws Exception {
		for (ServiceProcess node : this.cluster.nodes()) {
			assertThat(ClusterNodes.memberCount(node)).isEqualTo(3);
			assertThat(node.get("/actuator/health/mqtt")).contains("\"membersSeen\":3");
		}
	}

	@Test
	void qos0PublishedOnOneNodeReachesAWildcardSubscriberOnAnother() throws Exception {
		try (MqttTestClient onThird = MqttTestClient.connect(url(2), "zero-sub");
				MqttTestClient publisher = MqttTestClient.connect(url(0), "zero-pub")) {
			onThird.subscribe("zero/#", 0);
			awaitForwarding(publisher, "zero/probe", onThird);
			publisher.publishInWindow("zero/a", NumberedPayloads.of("q0-", 300, 0), 0, 50);
			// At this rate, on loopback, nothing is dropped: QoS 0 loses only what a broken connection loses.
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onThird.counts(), "q0-") == 300);
		}
	}

	@Test
	void aSharedSubscriptionGroupWithMembersOnTwoNodesGetsEachMessageOnce() throws Exception {
		try (MqttTestClient memberOnSecond = MqttTestClient.connect(url(1), "worker-2");
				MqttTestClient memberOnThird = MqttTestClient.connect(url(2), "worker-3");
				MqttTestClient publisher = MqttTestClient.connect(url(0), "jobs-pub")) {
			memberOnSecond.subscribe("$share/workers/jobs/#", 1);
			memberOnThird.subscribe("$share/workers/jobs/#", 1);
			// A probe reaches one member, whichever: then the group is known on the publisher's node.
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
				publisher.publish("jobs/probe", "probe0", 1, false);
				return memberOnSecond.counts().containsKey("probe0") || memberOnThird.counts().containsKey("probe0");
			});
			publisher.publishInWindow("jobs/build", NumberedPayloads.of("job-", 100, 0), 1, 20);
			await().atMost(Duration.ofSeconds(60)).until(
					() -> count(memberOnSecond.counts(), "job-") + count(memberOnThird.counts(), "job-") >= 100);
			for (int i = 0; i < 100; i++) {
				int deliveries = memberOnSecond.counts().getOrDefault("job-" + i, 0)
						+ memberOnThird.counts().getOrDefault("job-" + i, 0);
				assertThat(deliveries).as("deliveries of job-" + i + " to the group").isEqualTo(1);
			}
			System.out.printf("shared group across nodes: 100 messages, node 2's member got %d, node 3's %d%n",
					count(memberOnSecond.counts(), "job-"), count(memberOnThird.counts(), "job-"));
		}
	}

	@Test
	void qos1AndQos2PublishedOnOneNodeReachWildcardSubscribersOnTheOthersWithoutLossOrQos2Duplicate()
			throws Exception {
		try (MqttTestClient onSecond = MqttTestClient.connect(url(1), "fleet-q1");
				MqttTestClient onThird = MqttTestClient.connect(url(2), "fleet-q2");
				MqttTestClient publisher = MqttTestClient.connect(url(0), "fleet-pub")) {
			onSecond.subscribe("fleet/+/one", 1);
			onThird.subscribe("fleet/#", 2);
			awaitForwarding(publisher, "fleet/probe/one", onSecond, onThird);
			publisher.publishInWindow("fleet/truck/one", NumberedPayloads.of("q1-", 300, 0), 1, 50);
			publisher.publishInWindow("fleet/truck/two", NumberedPayloads.of("q2-", 300, 0), 2, 50);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onThird.counts(), "q") == 600);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onSecond.counts(), "q1-") == 300);
			assertThat(count(onSecond.counts(), "q2-")).as("QoS 2 messages on fleet/+/one").isZero();
			onThird.counts().forEach((payload, count) -> {
				if (payload.startsWith("q2-")) {
					assertThat(count).as("QoS 2 delivery count of " + payload).isEqualTo(1);
				}
			});
		}
	}

	@Test
	void aRetainedMessagePublishedOnOneNodeReachesANewSubscriberOnAnotherAndIsClearedEverywhere()
			throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(url(0), "door-pub")) {
			publisher.publish("doors/front", "open", 1, true);
		}
		try (MqttTestClient late = MqttTestClient.connect(url(2), "door-late")) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				late.subscribe("doors/#", 1);
				assertThat(late.counts()).containsKey("open");
			});
		}
		try (MqttTestClient clearer = MqttTestClient.connect(url(1), "door-clear")) {
			clearer.publish("doors/front", "", 1, true);
			// A marker retained after the clear: once it is there, the clear (sent before it) is too.
			clearer.publish("doors/marker", "marker", 1, true);
		}
		try (MqttTestClient late = MqttTestClient.connect(url(0), "door-later")) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				late.subscribe("doors/#", 1);
				assertThat(late.counts()).containsKey("marker");
			});
			assertThat(late.counts()).doesNotContainKey("open");
		}
	}

	@Test
	void aPersistentSessionThatReconnectsToAnotherNodeGetsWhatWasQueuedForItThere() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(url(2), "moves-pub")) {
			try (MqttTestClient mover = MqttTestClient.connect(url(0), "mover", new MqttTestOptions().cleanSession(false))) {
				mover.subscribe("moves/#", 1);
				awaitForwarding(publisher, "moves/probe", mover);
				mover.disconnect();
			}
			publisher.publishInWindow("moves/a", NumberedPayloads.of("move-", 100, 0), 1, 20);
		}
		// On node 2 the session is there (its description travels between the nodes), with its subscription: no
		// SUBSCRIBE, and the messages queued on node 1 follow it.
		try (MqttTestClient moved = MqttTestClient.connect(url(1), "mover", new MqttTestOptions().cleanSession(false))) {
			assertThat(moved.sessionPresent()).isTrue();
			await().atMost(Duration.ofSeconds(60)).until(() -> count(moved.counts(), "move-") == 100);
		}
	}

	@Test
	void everyNodeAuthenticatesAuthorizesKeepsDollarTopicsApartAndCapsTheKeepAliveAlike() throws Exception {
		for (int node = 0; node < 3; node++) {
			String url = url(node);
			// Authentication: the same users on every node; a wrong password is refused everywhere.
			int index = node;
			MqttTestOptions wrongPassword = new MqttTestOptions().credentials("device", "wrong");
			assertThatExceptionOfType(MqttConnectRefusedException.class)
				.isThrownBy(() -> MqttTestClient.connect(url, "intruder-" + index, wrongPassword).close())
				.satisfies((ex) -> assertThat(ex.returnCode()).as("bad user name or password").isEqualTo(4));
			MqttTestClient
				.connect(url, "device-" + node, new MqttTestOptions().credentials("device", "device-secret"))
				.close();
			// The keep-alive ceiling: a client asking for none is told the node's (MQTT 5 Server Keep Alive).
			assertThat(serverKeepAlive(url, "keepalive-" + node)).as("Server Keep Alive of node %d", node + 1)
				.isEqualTo(KEEP_ALIVE_CEILING);
		}
		// Access rules and $-topics: published on node 1, read on nodes 2 and 3.
		try (MqttTestClient everything2 = MqttTestClient.connect(url(1), "all-2");
				MqttTestClient everything3 = MqttTestClient.connect(url(2), "all-3");
				MqttTestClient dollar3 = MqttTestClient.connect(url(2), "dollar-3");
				MqttTestClient publisher = MqttTestClient.connect(url(0), "rules-pub")) {
			assertThat(everything2.trySubscribe("vault/#", 1)).as("a denied filter on node 2").isEqualTo(0x80);
			assertThat(everything3.trySubscribe("vault/#", 1)).as("a denied filter on node 3").isEqualTo(0x80);
			everything2.subscribe("#", 1);
			everything3.subscribe("#", 1);
			dollar3.subscribe("$app/#", 1);
			awaitForwarding(publisher, "rules/probe", everything2, everything3);
			publisher.publish("vault/key", "secret0", 1, false);
			publisher.publish("$app/status", "dollar0", 1, false);
			publisher.publish("rules/marker", "marker0", 1, false);
			await().atMost(Duration.ofSeconds(30)).until(() -> everything2.counts().containsKey("marker0")
					&& everything3.counts().containsKey("marker0") && dollar3.counts().containsKey("dollar0"));
			for (MqttTestClient everything : List.of(everything2, everything3)) {
				assertThat(everything.counts()).as("# on another node").doesNotContainKeys("secret0", "dollar0");
			}
		}
	}

	/** Connect with MQTT 5 (Paho v5) asking for no keep-alive; return the CONNACK's Server Keep Alive. */
	private static Integer serverKeepAlive(String url, String clientId) throws Exception {
		org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(url,
				clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
		try {
			org.eclipse.paho.mqttv5.client.MqttConnectionOptions options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
			options.setKeepAliveInterval(0);
			return client.connectWithResult(options).getResponseProperties().getServerKeepAlive();
		}
		finally {
			client.disconnect();
			client.close();
		}
	}

	/**
	 * [MQTT-4.6.0-6] One publisher's messages to one topic reach each subscriber in the order sent, on the publisher's
	 * node and across the cluster's bridges: 1,000 messages with up to 10 unacknowledged, then a QoS 1 marker that
	 * tells every subscriber the stream is over (QoS 0 may lose a message, never reorder one).
	 */
	@ParameterizedTest(name = "QoS {0}")
	@ValueSource(ints = { 0, 1, 2 })
	void onePublishersMessagesReachSubscribersOnEveryNodeInOrder(int qos) throws Exception {
		String topic = "order/q" + qos;
		try (MqttTestClient onFirst = MqttTestClient.connect(url(0), "order-1-" + qos);
				MqttTestClient onSecond = MqttTestClient.connect(url(1), "order-2-" + qos);
				MqttTestClient onThird = MqttTestClient.connect(url(2), "order-3-" + qos);
				MqttTestClient publisher = MqttTestClient.connect(url(0), "order-pub-" + qos)) {
			List<MqttTestClient> subscribers = List.of(onFirst, onSecond, onThird);
			for (MqttTestClient subscriber : subscribers) {
				subscriber.subscribe(topic, 2);
			}
			awaitForwarding(publisher, topic, onFirst, onSecond, onThird);
			publisher.publishInWindow(topic, NumberedPayloads.of("m", 1000, 0), qos, 10);
			publisher.publish(topic, "end", 1, false);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> subscribers.stream().allMatch((s) -> s.counts().containsKey("end")));
			System.out.printf("order across nodes, QoS %d: late arrivals on nodes 1, 2, 3: %d, %d, %d of %d, %d, %d%n",
					qos, lateCount(onFirst, topic), lateCount(onSecond, topic), lateCount(onThird, topic),
					sequence(onFirst, topic).size(),
					sequence(onSecond, topic).size(), sequence(onThird, topic).size());
			for (MqttTestClient subscriber : subscribers) {
				List<Integer> sequence = sequence(subscriber, topic);
				assertThat(ArrivalOrder.lateArrivals(sequence, false))
					.as("messages after a later one on %s", subscriber.clientId())
					.isEmpty();
				if (qos > 0) {
					assertThat(sequence).as("every message once on %s", subscriber.clientId()).hasSize(1000);
				}
			}
		}
	}

	/** The numbers of the messages {@code m<n>} a subscriber received on a topic, in arrival order. */
	private static List<Integer> sequence(MqttTestClient subscriber, String topic) {
		return subscriber.received()
			.stream()
			.filter((message) -> message.topic().equals(topic) && message.text().startsWith("m"))
			.map((message) -> Integer.parseInt(message.text().substring(1)))
			.toList();
	}

	private static int lateCount(MqttTestClient subscriber, String topic) {
		return ArrivalOrder.lateArrivals(sequence(subscriber, topic), false).size();
	}

	/**
	 * A subscription made on one node is announced to the others a moment later: publish a probe from the publishing
	 * node until every subscriber has it.
	 */
	private static void awaitForwarding(MqttTestClient publisher, String topic, MqttTestClient... subscribers) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			publisher.publish(topic, "probe0", 1, false);
			for (MqttTestClient subscriber : subscribers) {
				if (!subscriber.counts().containsKey("probe0")) {
					return false;
				}
			}
			return true;
		});
	}

	private static int count(Map<String, Integer> received, String prefix) {
		return (int) received.keySet().stream().filter((payload) -> payload.startsWith(prefix)).count();
	}

}
