package dev.mqttboot.brokerservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Split brain with an HA pair: node 1 (a primary) on a test host of its own is cut off from the cluster, its backup
 * and nodes 2 and 3 on the other side of the cut. The backup may take over only with a majority of the primaries'
 * votes, and the primary, alone, must stop serving: never two active copies of node 1.
 */
@Tag("slow")
class ClusterSplitBrainIT {

	private static final int COUNT = 200;

	@TempDir
	Path directory;

	private TestHosts hosts;

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
		if (this.hosts != null) {
			this.hosts.close();
		}
	}

	@Test
	void aPrimaryCutOffFromItsBackupAndTheMajorityStopsServingAndOnlyTheBackupServesItsSession() throws Exception {
		this.hosts = TestHosts.createOrSkip(4);
		TestHosts hosts = this.hosts;
		this.cluster = new ClusterNodes(this.directory,
				List.of(hosts.clusterAddress(1), hosts.clusterAddress(2), hosts.clusterAddress(3)), (index, node) -> {
					node.env("MQTT_ALLOW_ANONYMOUS", "true").runIn(hosts.clientAddress(index + 1), hosts.runOn(index + 1));
					if (index == 0) {
						node.env("MQTT_CLUSTER_HA_ROLE", "primary");
					}
				})
			.start();
		this.backup = this.cluster.backupOf(0, this.directory.resolve("node1-backup"), hosts.clusterAddress(4))
			.env("MQTT_ALLOW_ANONYMOUS", "true")
			.runIn(hosts.clientAddress(4), hosts.runOn(4));
		this.backup.start("/actuator/health/liveness");
		ServiceProcess primary = this.cluster.node(0);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> ClusterNodes.hasBackup(primary));
		try (MqttTestClient keeper = MqttTestClient.connect(primary.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			keeper.subscribe("split/#", 1);
			keeper.disconnect();
		}
		try (MqttTestClient publisher = MqttTestClient.connect(primary.mqttUrl(), "before-cut")) {
			publisher.publishInWindow("split/a", NumberedPayloads.of("before-", COUNT, 0), 1, 20);
		}

		hosts.partition(1);
		// The majority side: the backup gets the votes of nodes 2 and 3 and takes over.
		this.backup.awaitStatus("/actuator/health/readiness", 200);
		// The primary, alone with no backup and no majority, stops serving: not ready, no MQTT.
		primary.awaitStatus("/actuator/health/readiness", 503);
		assertThat(primary.get("/actuator/health/mqtt")).doesNotContain("\"status\":\"UP\"");
		boolean primaryServes;
		try (MqttTestClient probe = MqttTestClient.connect(primary.mqttUrl(), "probe")) {
			primaryServes = true;
		}
		catch (IllegalStateException ex) {
			primaryServes = false;
		}
		assertThat(primaryServes).as("the cut-off primary accepts MQTT clients").isFalse();

		// The session and what was acknowledged for it are on the active side.
		try (MqttTestClient publisher = MqttTestClient.connect(this.cluster.node(1).mqttUrl(), "during-cut");
				MqttTestClient keeper = MqttTestClient.connect(this.backup.mqttUrl(), "keeper", new MqttTestOptions().cleanSession(false))) {
			assertThat(keeper.sessionPresent()).isTrue();
			publisher.publishInWindow("split/b", NumberedPayloads.of("during-", COUNT, 0), 1, 20);
			await().atMost(Duration.ofSeconds(90))
				.until(() -> keeper.counts().keySet().stream().filter((p) -> p.startsWith("before-")).count() == COUNT
						&& keeper.counts().keySet().stream().filter((p) -> p.startsWith("during-")).count() == COUNT);
		}
		System.out.printf("split brain of an HA pair: the cut-off primary stopped serving, its backup took over with "
				+ "the majority; %d messages acknowledged before the cut and %d during it reached the session on the "
				+ "backup, 0 lost%n", COUNT, COUNT);
	}

}
