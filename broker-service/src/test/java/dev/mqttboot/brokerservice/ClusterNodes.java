package dev.mqttboot.brokerservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.jayway.jsonpath.JsonPath;

import static org.awaitility.Awaitility.await;

/**
 * A cluster of broker-service nodes, each the packaged jar in a JVM of its own on loopback (or in a network namespace
 * of its own), joined by static discovery: every node lists the others' cluster ports.
 */
final class ClusterNodes implements AutoCloseable {

	static final String CLUSTER_PASSWORD = "cluster-s3cret";

	private final List<ServiceProcess> nodes = new ArrayList<>();

	private final List<String> clusterAddresses = new ArrayList<>();

	/**
	 * Prepare the nodes; none is started.
	 * @param directory where each node keeps its data and log
	 * @param hosts each node's address (its cluster listener binds it; MQTT and management bind every address)
	 * @param configure applied to each node before it starts (extra environment, a namespace to run in)
	 */
	ClusterNodes(Path directory, List<String> hosts, NodeCustomizer configure) throws IOException {
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < hosts.size(); i++) {
			ports.add(ServiceProcess.freePort());
			this.clusterAddresses.add(hosts.get(i) + ":" + ports.get(i));
		}
		for (int i = 0; i < hosts.size(); i++) {
			List<String> others = new ArrayList<>(this.clusterAddresses);
			others.remove(i);
			ServiceProcess node = node(Files.createDirectories(directory.resolve("node" + (i + 1))), "node" + (i + 1),
					hosts.get(i), ports.get(i), others);
			configure.customize(i, node);
			this.nodes.add(node);
		}
	}

	/**
	 * Prepare a backup (HA replication) of node {@code index} on loopback, not started: it lists every node, finds
	 * its primary among them by the group name (the primary's node name), and stays passive while its primary lives.
	 * The primary must have been given {@code MQTT_CLUSTER_HA_ROLE=primary}.
	 */
	ServiceProcess backupOf(int index, Path directory) throws IOException {
		return backupOf(index, directory, "127.0.0.1");
	}

	/** A backup of node {@code index} whose cluster listener is on {@code host}, as {@link #backupOf(int, Path)}. */
	ServiceProcess backupOf(int index, Path directory, String host) throws IOException {
		String primary = "node" + (index + 1);
		return node(Files.createDirectories(directory), primary + "-backup", host, ServiceProcess.freePort(),
				this.clusterAddresses)
			.env("MQTT_CLUSTER_HA_ROLE", "backup")
			.env("MQTT_CLUSTER_HA_GROUP", primary);
	}

	private static ServiceProcess node(Path directory, String name, String host, int port, List<String> members)
			throws IOException {
		return new ServiceProcess(directory).env("MQTT_ENGINE", "artemis")
			.env("MQTT_CLUSTER_ENABLED", "true")
			.env("MQTT_CLUSTER_NODE_NAME", name)
			.env("MQTT_CLUSTER_HOST", host)
			.env("MQTT_CLUSTER_ADVERTISED_HOST", host)
			.env("MQTT_CLUSTER_PORT", String.valueOf(port))
			.env("MQTT_CLUSTER_MEMBERS", String.join(",", members))
			.env("MQTT_CLUSTER_PASSWORD", CLUSTER_PASSWORD)
			// The members and the health details are the management user's to see.
			.managementUser("management-s3cret")
			.javaOptions("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
	}

	ServiceProcess node(int index) {
		return this.nodes.get(index);
	}

	List<ServiceProcess> nodes() {
		return this.nodes;
	}

	/** Start every node at once and wait until each sees all of them. */
	ClusterNodes start() {
		CompletableFuture.allOf(this.nodes.stream()
			.map((node) -> CompletableFuture.runAsync(() -> startNode(node)))
			.toArray(CompletableFuture[]::new)).join();
		awaitMembers(this.nodes.size());
		return this;
	}

	static void startNode(ServiceProcess node) {
		try {
			node.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Wait until every running node sees {@code count} members, itself included. */
	void awaitMembers(int count) {
		for (ServiceProcess node : this.nodes) {
			if (node.isAlive()) {
				await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
					.until(() -> memberCount(node) == count);
			}
		}
	}

	static int memberCount(ServiceProcess node) throws Exception {
		Integer count = JsonPath.read(node.get("/actuator/mqtt"), "$.broker.cluster.memberCount");
		return count;
	}

	/** Whether a primary lists a backup beside itself (the backup has synchronised its journal with it). */
	static boolean hasBackup(ServiceProcess primary) throws Exception {
		List<Object> backups = JsonPath.read(primary.get("/actuator/mqtt"),
				"$.broker.cluster.members[?(@.self == true)].backupAddress");
		return !backups.isEmpty() && backups.get(0) != null;
	}

	@Override
	public void close() throws InterruptedException {
		for (ServiceProcess node : this.nodes) {
			node.close();
		}
	}

	/** Configures one node before it starts. */
	interface NodeCustomizer {

		void customize(int index, ServiceProcess node) throws IOException;

		static NodeCustomizer each(Consumer<ServiceProcess> action) {
			return (index, node) -> action.accept(node);
		}

	}

}
