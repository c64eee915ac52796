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
 * HA by replication: node 1 of a three-node cluster has a backup (a fourth JVM) that holds a copy of its journal.
 * Messages acknowledged to a publisher and queued on node 1 for an offline persistent session must all be there when
 * the backup takes over from a node 1 killed with SIGKILL, and the session with them. Node 1, restarted, becomes the
 * backup's backup; killing the backup in turn gives node 1 back the session and what was queued since.
 */
@Tag("slow")
class ClusterReplicationIT {

	private static final int COUNT = 500;

	/**
	 * The MQTT CONNECT deadline, short: it once closed the cluster's own links too (each one when it ran out), which
	 * cut the replication and made the topology flap; with 2 s, a return of that defect shows in every run.
	 */
	private static final String CONNECT_TIMEOUT = "2s";

	@TempDir
	Path directory;

	private ClusterNodes cluster;

	private ServiceProcess backup;

	@AfterEach
	void stop() throws Exception {
		if (this.backup != null) {
			this.backup.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void theBackupTakesOverAKilledPrimaryWithItsSessionAndEveryAcknowledgedMessage() throws Exception {
		this.cluster = new ClusterNodes(this.directory, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"),
				(index, node) -> {
					node.env("MQTT_ALLOW_ANONYMOUS", "true").env("MQTT_BROKER_CONNECTTIMEOUT", CONNECT_TIMEOUT);
					if (index == 0) {
						node.env("MQTT_CLUSTER_HA_ROLE", "primary");
					}
				})
			.start();
		this.backup = this.cluster.backupOf(0, this.directory.resolve("node1-backup"))
			.env("MQTT_ALLOW_ANONYMOUS", "true")
			.env("MQTT_BROKER_CONNECTTIMEOUT", CONNECT_TIMEOUT)
			// Artemis's own account of the fail-over (quorum votes, activation) in the backup's log.
			.env("LOGGING_LEVEL_ORG_APACHE_ACTIVEMQ_ARTEMIS", "INFO");
		this.backup.start("/actuator/health/liveness");
		// Passive: alive, out of service, not ready (a readiness probe keeps clients away from it).
		assertThat(this.backup.status("/actuator/health/readiness")).isEqualTo(503);
		assertThat(this.backup.get("/actuator/health/mqtt")).contains("OUT_OF_SERVICE").contains("\"active\":false");
		ServiceProcess primary = this.cluster.node(0);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> ClusterNodes.hasBackup(primary));

		try (MqttTestClient keeper = MqttTestClient.connect(primary.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			keeper.subscribe("ha/q1/#", 1);
			keeper.subscribe("ha/q2/#", 2);
			keeper.disconnect();
		}
		// Published on node 1, and on node 2 (forwarded to node 1, where the session's queues are).
		try (MqttTestClient local = MqttTestClient.connect(primary.mqttUrl(), "local-pub");
				MqttTestClient remote = MqttTestClient.connect(this.cluster.node(1).mqttUrl(), "remote-pub")) {
			local.publishInWindow("ha/q1/a", NumberedPayloads.of("local-q1-", COUNT, 0), 1, 50);
			local.publishInWindow("ha/q2/a", NumberedPayloads.of("local-q2-", COUNT, 0), 2, 50);
			remote.publishInWindow("ha/q1/b", NumberedPayloads.of("remote-q1-", COUNT, 0), 1, 50);
			remote.publishInWindow("ha/q2/b", NumberedPayloads.of("remote-q2-", COUNT, 0), 2, 50);
		}
		// Killed right after the last acknowledgement: what node 2 had not forwarded yet waits in its journal for
		// node 1, and follows node 1 to its backup.
		primary.kill();

		this.backup.awaitStatus("/actuator/health/readiness", 200);
		assertThat(this.backup.get("/actuator/health/mqtt")).contains("\"active\":true");
		try (MqttTestClient keeper = MqttTestClient.connect(this.backup.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			assertThat(keeper.sessionPresent()).as("the session, replicated to the backup").isTrue();
			await().atMost(Duration.ofSeconds(120)).until(() -> keeper.counts().size() >= 4 * COUNT);
			Map<String, Integer> received = keeper.counts();
			int duplicatesQos1 = 0;
			for (String origin : List.of("local", "remote")) {
				for (int i = 0; i < COUNT; i++) {
					assertThat(received).containsKey(origin + "-q1-" + i);
					duplicatesQos1 += received.get(origin + "-q1-" + i) - 1;
					assertThat(received.get(origin + "-q2-" + i)).as(origin + "-q2-" + i + " exactly once")
						.isEqualTo(1);
				}
			}
			System.out.printf("HA failover after kill -9 of the primary: %d QoS 1 and %d QoS 2 messages acknowledged "
					+ "and queued for an offline session, all %d delivered by the backup, QoS 1 duplicates %d, "
					+ "QoS 2 duplicates 0%n", 2 * COUNT, 2 * COUNT, 4 * COUNT, duplicatesQos1);
			keeper.disconnect();
		}

		// The primary comes back, as Kubernetes restarts a pod: it finds its backup serving in its place and becomes
		// its backup (the two swap roles); the session stays where it is.
		primary.start("/actuator/health/liveness");
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> ClusterNodes.hasBackup(this.backup));
		assertThat(primary.get("/actuator/health/mqtt")).contains("OUT_OF_SERVICE");
		// Left alone, the pair stays as it is: one serving, the other passive beside it (a replication link cut
		// here once made the passive one take over too: two active copies of one node).
		await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
			.until(() -> primary.status("/actuator/health/readiness") == 503
					&& this.backup.status("/actuator/health/readiness") == 200);
		try (MqttTestClient remote = MqttTestClient.connect(this.cluster.node(1).mqttUrl(), "remote-pub")) {
			remote.publishInWindow("ha/q1/c", NumberedPayloads.of("again-", COUNT, 0), 1, 50);
		}
		// And the other way round: the node serving now is killed, the first one takes over with the session.
		this.backup.kill();
		primary.awaitStatus("/actuator/health/readiness", 200);
		try (MqttTestClient keeper = MqttTestClient.connect(primary.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			assertThat(keeper.sessionPresent()).as("the session, back on the first node").isTrue();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> keeper.counts().keySet().stream().filter((p) -> p.startsWith("again-")).count() == COUNT);
			assertThat(keeper.counts().keySet()).as("nothing consumed on the backup comes back")
				.noneMatch((payload) -> payload.startsWith("local-") || payload.startsWith("remote-"));
		}
	}

}
