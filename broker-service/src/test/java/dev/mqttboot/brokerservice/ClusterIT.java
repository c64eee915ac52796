package dev.mqttboot.brokerservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

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
		try (MqttTestClient onThird = MqttTestClient.connect(url(2), "zero-sub", true);
				MqttTestClient publisher = MqttTestClient.connect(url(0), "zero-pub", true)) {
			onThird.subscribe("zero/#", 0);
			awaitForwarding(publisher, "zero/probe", onThird);
			publisher.publish("zero/a", 0, "q0-", 300, 50, 0);
			// At this rate, on loopback, nothing is dropped: QoS 0 loses only what a broken connection loses.
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onThird.received(), "q0-") == 300);
		}
	}

	@Test
	void aSharedSubscriptionGroupWithMembersOnTwoNodesGetsEachMessageOnce() throws Exception {
		try (MqttTestClient memberOnSecond = MqttTestClient.connect(url(1), "worker-2", true);
				MqttTestClient memberOnThird = MqttTestClient.connect(url(2), "worker-3", true);
				MqttTestClient publisher = MqttTestClient.connect(url(0), "jobs-pub", true)) {
			memberOnSecond.subscribe("$share/workers/jobs/#", 1);
			memberOnThird.subscribe("$share/workers/jobs/#", 1);
			// A probe reaches one member, whichever: then the group is known on the publisher's node.
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
				publisher.publish("jobs/probe", 1, "probe", 1, 1, 0);
				return memberOnSecond.received().containsKey("probe0") || memberOnThird.received().containsKey("probe0");
			});
			publisher.publish("jobs/build", 1, "job-", 100, 20, 0);
			await().atMost(Duration.ofSeconds(60)).until(
					() -> count(memberOnSecond.received(), "job-") + count(memberOnThird.received(), "job-") >= 100);
			for (int i = 0; i < 100; i++) {
				int deliveries = memberOnSecond.received().getOrDefault("job-" + i, 0)
						+ memberOnThird.received().getOrDefault("job-" + i, 0);
				assertThat(deliveries).as("deliveries of job-" + i + " to the group").isEqualTo(1);
			}
			System.out.printf("shared group across nodes: 100 messages, node 2's member got %d, node 3's %d%n",
					count(memberOnSecond.received(), "job-"), count(memberOnThird.received(), "job-"));
		}
	}

	@Test
	void qos1AndQos2PublishedOnOneNodeReachWildcardSubscribersOnTheOthersWithoutLossOrQos2Duplicate()
			throws Exception {
		try (MqttTestClient onSecond = MqttTestClient.connect(url(1), "fleet-q1", true);
				MqttTestClient onThird = MqttTestClient.connect(url(2), "fleet-q2", true);
				MqttTestClient publisher = MqttTestClient.connect(url(0), "fleet-pub", true)) {
			onSecond.subscribe("fleet/+/one", 1);
			onThird.subscribe("fleet/#", 2);
			awaitForwarding(publisher, "fleet/probe/one", onSecond, onThird);
			publisher.publish("fleet/truck/one", 1, "q1-", 300, 50, 0);
			publisher.publish("fleet/truck/two", 2, "q2-", 300, 50, 0);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onThird.received(), "q") == 600);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(onSecond.received(), "q1-") == 300);
			assertThat(count(onSecond.received(), "q2-")).as("QoS 2 messages on fleet/+/one").isZero();
			onThird.received().forEach((payload, count) -> {
				if (payload.startsWith("q2-")) {
					assertThat(count).as("QoS 2 delivery count of " + payload).isEqualTo(1);
				}
			});
		}
	}

	@Test
	void aRetainedMessagePublishedOnOneNodeReachesANewSubscriberOnAnotherAndIsClearedEverywhere()
			throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(url(0), "door-pub", true)) {
			publisher.publishRetained("doors/front", 1, "open");
		}
		try (MqttTestClient late = MqttTestClient.connect(url(2), "door-late", true)) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				late.subscribe("doors/#", 1);
				assertThat(late.received()).containsKey("open");
			});
		}
		try (MqttTestClient clearer = MqttTestClient.connect(url(1), "door-clear", true)) {
			clearer.publishRetained("doors/front", 1, "");
			// A marker retained after the clear: once it is there, the clear (sent before it) is too.
			clearer.publishRetained("doors/marker", 1, "marker");
		}
		try (MqttTestClient late = MqttTestClient.connect(url(0), "door-later", true)) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				late.subscribe("doors/#", 1);
				assertThat(late.received()).containsKey("marker");
			});
			assertThat(late.received()).doesNotContainKey("open");
		}
	}

	@Test
	void aPersistentSessionThatReconnectsToAnotherNodeGetsWhatWasQueuedForItThere() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(url(2), "moves-pub", true)) {
			try (MqttTestClient mover = MqttTestClient.connect(url(0), "mover", false)) {
				mover.subscribe("moves/#", 1);
				awaitForwarding(publisher, "moves/probe", mover);
				mover.disconnect();
			}
			publisher.publish("moves/a", 1, "move-", 100, 20, 0);
		}
		// On node 2 the session is new (Artemis keeps session state on the node that had it): it subscribes again,
		// and the messages queued on node 1 follow it there.
		try (MqttTestClient moved = MqttTestClient.connect(url(1), "mover", false)) {
			moved.subscribe("moves/#", 1);
			await().atMost(Duration.ofSeconds(60)).until(() -> count(moved.received(), "move-") == 100);
		}
	}

	@Test
	void everyNodeAuthenticatesAuthorizesKeepsDollarTopicsApartAndCapsTheKeepAliveAlike() throws Exception {
		for (int node = 0; node < 3; node++) {
			String url = url(node);
			// Authentication: the same users on every node; a wrong password is refused everywhere.
			int index = node;
			assertThatExceptionOfType(MqttException.class)
				.isThrownBy(() -> MqttTestClient.connect(url, "intruder-" + index, "device", "wrong").close())
				.satisfies((ex) -> assertThat(ex.getReasonCode())
					.isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
			MqttTestClient.connect(url, "device-" + node, "device", "device-secret").close();
			// The keep-alive ceiling: a client asking for none is told the node's (MQTT 5 Server Keep Alive).
			assertThat(serverKeepAlive(url, "keepalive-" + node)).as("Server Keep Alive of node %d", node + 1)
				.isEqualTo(KEEP_ALIVE_CEILING);
		}
		// Access rules and $-topics: published on node 1, read on nodes 2 and 3.
		try (MqttTestClient everything2 = MqttTestClient.connect(url(1), "all-2", true);
				MqttTestClient everything3 = MqttTestClient.connect(url(2), "all-3", true);
				MqttTestClient dollar3 = MqttTestClient.connect(url(2), "dollar-3", true);
				MqttTestClient publisher = MqttTestClient.connect(url(0), "rules-pub", true)) {
			assertThat(everything2.trySubscribe("vault/#", 1)).as("a denied filter on node 2").isEqualTo(0x80);
			assertThat(everything3.trySubscribe("vault/#", 1)).as("a denied filter on node 3").isEqualTo(0x80);
			everything2.subscribe("#", 1);
			everything3.subscribe("#", 1);
			dollar3.subscribe("$app/#", 1);
			awaitForwarding(publisher, "rules/probe", everything2, everything3);
			publisher.publish("vault/key", 1, "secret", 1, 1, 0);
			publisher.publish("$app/status", 1, "dollar", 1, 1, 0);
			publisher.publish("rules/marker", 1, "marker", 1, 1, 0);
			await().atMost(Duration.ofSeconds(30)).until(() -> everything2.received().containsKey("marker0")
					&& everything3.received().containsKey("marker0") && dollar3.received().containsKey("dollar0"));
			for (MqttTestClient everything : List.of(everything2, everything3)) {
				assertThat(everything.received()).as("# on another node").doesNotContainKeys("secret0", "dollar0");
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
	 * A subscription made on one node is announced to the others a moment later: publish a probe from the publishing
	 * node until every subscriber has it.
	 */
	private static void awaitForwarding(MqttTestClient publisher, String topic, MqttTestClient... subscribers) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			publisher.publish(topic, 1, "probe", 1, 1, 0);
			for (MqttTestClient subscriber : subscribers) {
				if (!subscriber.received().containsKey("probe0")) {
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
