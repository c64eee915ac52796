package dev.mqttboot.support;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.mqttboot.broker.BrokerEngine;

/**
 * Artemis cluster nodes in this JVM, each with its journal under one directory and its cluster port on loopback, every
 * node listing all the others as static members. A node is started (or started again, on its journal) by number.
 */
public final class InProcessCluster {

	private final Path store;

	private final int[] clusterPorts;

	private final String members;

	/**
	 * @param store the directory the nodes keep their journals under
	 * @param nodes how many nodes the cluster has
	 */
	public InProcessCluster(Path store, int nodes) {
		this.store = store;
		this.clusterPorts = new int[nodes];
		for (int i = 0; i < nodes; i++) {
			this.clusterPorts[i] = FreePorts.loopback();
		}
		this.members = Arrays.stream(this.clusterPorts).mapToObj((port) -> "127.0.0.1:" + port)
			.collect(Collectors.joining(","));
	}

	/**
	 * Start a node.
	 * @param number the node's number, from 1
	 * @param properties further broker properties
	 * @return the running node
	 */
	public TestBroker start(int number, String... properties) {
		String[] cluster = { "mqtt.broker.persistence.enabled=true",
				"mqtt.broker.persistence.directory=" + this.store.resolve("node" + number),
				"mqtt.broker.artemis.cluster.enabled=true", "mqtt.broker.artemis.cluster.node-name=node" + number,
				"mqtt.broker.artemis.cluster.host=127.0.0.1",
				"mqtt.broker.artemis.cluster.port=" + this.clusterPorts[number - 1],
				"mqtt.broker.artemis.cluster.members=" + this.members,
				"mqtt.broker.artemis.cluster.password=cluster-s3cret" };
		String[] all = Arrays.copyOf(cluster, cluster.length + properties.length);
		System.arraycopy(properties, 0, all, cluster.length, properties.length);
		return TestBroker.start(BrokerEngine.ARTEMIS, all);
	}

}
