package dev.mqttboot.brokerservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A network partition: three broker nodes, each on a test host of its own (a network namespace), node 3's cluster
 * link cut while its clients still reach it, then restored. What clients on each side see during the partition and
 * after it heals: messages, retained messages and a persistent session that moved across the cut.
 */
@Tag("slow")
class ClusterPartitionIT {

	private static final int COUNT = 200;

	@TempDir
	Path directory;

	private TestHosts hosts;

	private ClusterNodes cluster;

	@AfterEach
	void stop() throws Exception {
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.hosts != null) {
			this.hosts.close();
		}
	}

	@Test
	void eachSideServesItsOwnClientsDuringAPartitionAndEverythingAcknowledgedCrossesOnceItHeals() throws Exception {
		this.hosts = TestHosts.createOrSkip(3);
		TestHosts hosts = this.hosts;
		this.cluster = new ClusterNodes(this.directory,
				List.of(hosts.clusterAddress(1), hosts.clusterAddress(2), hosts.clusterAddress(3)), (index, node) -> node
					.env("MQTT_ALLOW_ANONYMOUS", "true")
					.runIn(hosts.clientAddress(index + 1), hosts.runOn(index + 1)))
			.start();
		ServiceProcess majority = this.cluster.node(0);
		ServiceProcess minority = this.cluster.node(2);
		try (MqttTestClient onMajority = MqttTestClient.connect(majority.mqttUrl(), "side-a", new MqttTestOptions().cleanSession(false));
				MqttTestClient onMinority = MqttTestClient.connect(minority.mqttUrl(), "side-c", new MqttTestOptions().cleanSession(false));
				MqttTestClient majorityPublisher = MqttTestClient.connect(majority.mqttUrl(), "pub-a");
				MqttTestClient minorityPublisher = MqttTestClient.connect(minority.mqttUrl(), "pub-c")) {
			onMajority.subscribe("part/#", 1);
			onMinority.subscribe("part/#", 1);
			try (MqttTestClient mover = MqttTestClient.connect(minority.mqttUrl(), "mover", new MqttTestOptions().cleanSession(false))) {
				mover.subscribe("moves/#", 1);
				mover.disconnect();
			}
			awaitForwarding(majorityPublisher, onMinority);
			awaitForwarding(minorityPublisher, onMajority);

			// The cut: node 3 alone; nodes 1 and 2 give it up after the connection TTL.
			hosts.partition(3);
			awaitMemberCount(majority, 2);
			awaitMemberCount(this.cluster.node(1), 2);
			awaitMemberCount(minority, 1);
			majorityPublisher.publishInWindow("part/a", NumberedPayloads.of("from-a-", COUNT, 0), 1, 20);
			minorityPublisher.publishInWindow("part/c", NumberedPayloads.of("from-c-", COUNT, 0), 1, 20);
			majorityPublisher.publish("state/door", "set-on-the-majority-side", 1, true);
			minorityPublisher.publishInWindow("moves/c", NumberedPayloads.of("queued-", 50, 0), 1, 10);
			// Each side serves its own clients; nothing crosses the cut.
			await().atMost(Duration.ofSeconds(30)).until(() -> count(onMajority.counts(), "from-a-") == COUNT
					&& count(onMinority.counts(), "from-c-") == COUNT);
			assertThat(count(onMinority.counts(), "from-a-")).as("majority messages on the minority side").isZero();
			assertThat(count(onMajority.counts(), "from-c-")).as("minority messages on the majority side").isZero();
			// A persistent session a load balancer sends to the other side gets nothing of what waits for it there.
			MqttTestClient moved = MqttTestClient.connect(majority.mqttUrl(), "mover", new MqttTestOptions().cleanSession(false));
			try {
				moved.subscribe("moves/#", 1);

				hosts.heal(3);
				this.cluster.awaitMembers(3);
				// What each side acknowledged during the partition waited in its journal and crosses now.
				await().atMost(Duration.ofSeconds(90)).until(() -> count(onMajority.counts(), "from-c-") == COUNT
						&& count(onMinority.counts(), "from-a-") == COUNT);
				await().atMost(Duration.ofSeconds(90)).until(() -> count(moved.counts(), "queued-") == 50);
			}
			finally {
				moved.close();
			}
			int duplicates = duplicates(onMajority.counts()) + duplicates(onMinority.counts());
			System.out.printf("partition of node 3 from nodes 1 and 2: %d + %d QoS 1 messages acknowledged on each "
					+ "side, 0 crossed during it, all crossed after it healed, 0 lost; duplicates %d; 50 messages "
					+ "queued on node 3 followed their session to node 1 after the heal%n", COUNT, COUNT, duplicates);
		}
		// The retained message set on the majority side during the partition reached the minority side.
		try (MqttTestClient late = MqttTestClient.connect(minority.mqttUrl(), "late-c")) {
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				late.subscribe("state/#", 1);
				assertThat(late.counts()).containsKey("set-on-the-majority-side");
			});
		}
	}

	private static void awaitForwarding(MqttTestClient publisher, MqttTestClient subscriber) {
		String prefix = "probe-" + System.nanoTime() + "-";
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			publisher.publish("part/probe", prefix + "0", 1, false);
			return count(subscriber.counts(), prefix) > 0;
		});
	}

	private static void awaitMemberCount(ServiceProcess node, int count) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> ClusterNodes.memberCount(node) == count);
	}

	private static int count(Map<String, Integer> received, String prefix) {
		return (int) received.keySet().stream().filter((payload) -> payload.startsWith(prefix)).count();
	}

	private static int duplicates(Map<String, Integer> received) {
		return received.entrySet().stream()
			.filter((entry) -> entry.getKey().startsWith("from-"))
			.mapToInt((entry) -> entry.getValue() - 1)
			.sum();
	}

}
