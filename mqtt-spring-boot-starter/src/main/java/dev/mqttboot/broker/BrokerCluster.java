package dev.mqttboot.broker;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a cluster node sees of its cluster, for health, the actuator endpoint and metrics.
 *
 * @param nodeName this node's configured name
 * @param nodeId this node's identity in the cluster (the engine's node id)
 * @param role this node's part: {@code primary} (serves clients), {@code backup} (holds a primary's replica) or
 * {@code node} (serves clients, no backup)
 * @param active whether this node serves clients now (a backup does once it has taken over)
 * @param members the nodes this one sees, itself included
 * @param messagesSent messages this node forwarded to other nodes, as they acknowledged them
 * @param messagesReceived messages other nodes forwarded to this one
 */
public record BrokerCluster(String nodeName, @Nullable String nodeId, String role, boolean active, List<Member> members,
		long messagesSent, long messagesReceived) {

	/**
	 * The record's values.
	 */
	public BrokerCluster {
		members = List.copyOf(members);
	}

	/**
	 * A node of the cluster.
	 * @param nodeId the node's identity
	 * @param address where the other nodes reach it ({@code host:port})
	 * @param backupAddress where its backup is, or {@code null} when it has none
	 * @param self whether it is this node
	 */
	public record Member(String nodeId, String address, @Nullable String backupAddress, boolean self) {
	}

}
