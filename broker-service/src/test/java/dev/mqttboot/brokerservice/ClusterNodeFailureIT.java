package dev.mqttboot.brokerservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mqttboot.support.ArrivalOrder;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import dev.mqttboot.test.MqttTestClient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node of three killed with SIGKILL under a steady QoS 1 load: a publisher and a persistent subscriber on every
 * node (each subscriber takes everything), the clients of the dead node reconnecting to the others. Counts what was
 * acknowledged to a publisher and never reached a subscriber, while the node is down and after it came back (none
 * may be missing then), and the duplicates, which QoS 1 allows.
 */
@Tag("slow")
class ClusterNodeFailureIT {

	private static final String TOPICS = "load/#";

	@TempDir
	Path directory;

	private ClusterNodes cluster;

	private final List<AutoCloseable> closeAfter = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.closeAfter) {
			closeable.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void nothingAcknowledgedIsLostWhenANodeIsKilledUnderLoadAndComesBack() throws Exception {
		this.cluster = new ClusterNodes(this.directory, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"),
				ClusterNodes.NodeCustomizer.each((node) -> node.env("MQTT_ALLOW_ANONYMOUS", "true")))
			.start();
		List<MqttTestClient> subscribers = new ArrayList<>();
		List<MqttTestClient> publisherClients = new ArrayList<>();
		List<SteadyPublisher> publishers = new ArrayList<>();
		for (int node = 0; node < 3; node++) {
			MqttTestClient subscriber = roaming("sub-" + (node + 1), false, node);
			subscriber.subscribe(TOPICS, 1);
			subscribers.add(subscriber);
		}
		awaitRoutes(subscribers);
		for (int node = 0; node < 3; node++) {
			MqttTestClient publisher = roaming("pub-" + (node + 1), true, node);
			publisherClients.add(publisher);
			publishers.add(track(
					SteadyPublisher.start(publisher, "load/node" + (node + 1), "n" + (node + 1) + "-", 5)));
		}
		// Load on every node before the kill, and on the survivors after it, the dead node's publisher among them.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> publishers.stream().allMatch((publisher) -> publisher.acknowledged().size() >= 300));
		this.cluster.node(0).kill();
		int[] before = publishers.stream().mapToInt((publisher) -> publisher.acknowledged().size()).toArray();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			for (int i = 0; i < before.length; i++) {
				if (publishers.get(i).acknowledged().size() < before[i] + 300) {
					return false;
				}
			}
			return true;
		});
		for (SteadyPublisher publisher : publishers) {
			publisher.stop();
		}
		Set<String> acknowledged = new HashSet<>();
		publishers.forEach((publisher) -> acknowledged.addAll(publisher.acknowledged()));
		assertThat(publisherClients.get(0).connections()).as("the dead node's publisher reconnected elsewhere")
			.isGreaterThan(1);
		assertThat(subscribers.get(0).connections()).as("the dead node's subscriber reconnected elsewhere")
			.isGreaterThan(1);

		// While the node is down: what the survivors deliver once the traffic settled.
		awaitSettled(subscribers);
		List<Integer> missingWhileDown = subscribers.stream().map((s) -> missing(s, acknowledged).size()).toList();

		// The node comes back with its journal: what it held (queued for its subscriber, accepted but not yet
		// forwarded) reaches the subscribers where they are now.
		ClusterNodes.startNode(this.cluster.node(0));
		this.cluster.awaitMembers(3);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
			.until(() -> subscribers.stream().allMatch((s) -> missing(s, acknowledged).isEmpty()));

		List<Integer> duplicates = subscribers.stream().map((s) -> duplicates(s, acknowledged)).toList();
		List<Integer> outOfOrder = subscribers.stream().map(ClusterNodeFailureIT::outOfOrder).toList();
		System.out.printf("kill -9 of node 1 of 3 under QoS 1 load: %d messages acknowledged to publishers on 3 "
				+ "nodes, each subscribed by 3 persistent sessions; acknowledged but not delivered while node 1 was "
				+ "down: %s; after it came back: 0 lost; duplicates per subscriber: %s; first deliveries after a later "
				+ "one of the same publisher, per subscriber: %s%n", acknowledged.size(), missingWhileDown, duplicates,
				outOfOrder);
		// QoS 1 allows duplicates, and a node loss makes them: the moved subscriber gets again what the dead node had
		// delivered but not seen acknowledged, and any subscriber what a publisher resent because the dead node had
		// stored it without acknowledging. They are counted (above), not forbidden; a loss is (the wait above fails).
	}

	private <T extends AutoCloseable> T track(T closeable) {
		this.closeAfter.add(closeable);
		return closeable;
	}

	/**
	 * A client of node {@code first} that knows every node and, when its node goes away, reconnects to the next one
	 * that answers, going round, the way a client behind a list of broker addresses does (and subscribes again there).
	 */
	private MqttTestClient roaming(String clientId, boolean cleanSession, int first) {
		MqttTestOptions options = new MqttTestOptions().cleanSession(cleanSession)
			.keepAlive(Duration.ofSeconds(5))
			.connectionTimeout(Duration.ofSeconds(10))
			.failover(this.cluster.node((first + 1) % 3).mqttUrl(), this.cluster.node((first + 2) % 3).mqttUrl());
		return track(MqttTestClient.connect(this.cluster.node(first).mqttUrl(), clientId, options));
	}

	/** Publish a probe from every node until each subscriber has one: the subscriptions are known cluster-wide. */
	private void awaitRoutes(List<MqttTestClient> subscribers) throws Exception {
		for (int node = 0; node < 3; node++) {
			String prefix = "probe-" + node + "-";
			try (MqttTestClient prober = MqttTestClient.connect(this.cluster.node(node).mqttUrl(), prefix)) {
				await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
					prober.publish("load/probe", prefix + "0", 1, false);
					return subscribers.stream()
						.allMatch((s) -> s.counts().keySet().stream().anyMatch((p) -> p.startsWith(prefix)));
				});
			}
		}
	}

	/** Wait until no subscriber has received anything for three seconds. */
	private static void awaitSettled(List<MqttTestClient> subscribers) {
		int[] last = { -1 };
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3)).until(() -> {
			int total = subscribers.stream().mapToInt((s) -> s.counts().size()).sum();
			boolean settled = total == last[0];
			last[0] = total;
			return settled;
		});
	}

	private static Set<String> missing(MqttTestClient subscriber, Set<String> acknowledged) {
		Set<String> missing = new HashSet<>(acknowledged);
		missing.removeAll(subscriber.counts().keySet());
		return missing;
	}

	/**
	 * How many messages reached a subscriber, the first time, after a later message of the same publisher (the
	 * stream {@code n<node>-<k>}); what the dead node's journal held comes back late by design, and is counted here.
	 */
	private static int outOfOrder(MqttTestClient subscriber) {
		Map<String, List<Integer>> byPublisher = new HashMap<>();
		for (MqttTestClient.Received message : subscriber.received()) {
			String payload = message.text();
			int dash = payload.indexOf('-');
			if (message.topic().startsWith("load/node") && dash >= 0) {
				byPublisher.computeIfAbsent(payload.substring(0, dash), (publisher) -> new ArrayList<>())
					.add(Integer.parseInt(payload.substring(dash + 1)));
			}
		}
		return byPublisher.values()
			.stream()
			.mapToInt((sequence) -> ArrivalOrder.lateArrivals(sequence, true).size())
			.sum();
	}

	private static int duplicates(MqttTestClient subscriber, Set<String> acknowledged) {
		int duplicates = 0;
		for (Map.Entry<String, Integer> entry : subscriber.counts().entrySet()) {
			if (acknowledged.contains(entry.getKey())) {
				duplicates += entry.getValue() - 1;
			}
		}
		return duplicates;
	}

}
