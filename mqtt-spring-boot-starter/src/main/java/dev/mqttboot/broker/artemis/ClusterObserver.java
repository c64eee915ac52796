package dev.mqttboot.broker.artemis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Objects;

import dev.mqttboot.broker.BrokerCluster;
import dev.mqttboot.broker.BrokerSettings;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.TopologyMember;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.cluster.ClusterConnection;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.jspecify.annotations.Nullable;

/**
 * What this node sees of the cluster, read from Artemis's cluster connection (its topology and bridge metrics), and
 * the messages the other nodes' bridges deliver here, counted as they arrive.
 */
final class ClusterObserver implements ActiveMQServerMessagePlugin {

	private final BrokerSettings.Cluster settings;

	private final AtomicLong received = new AtomicLong();

	private volatile @Nullable ActiveMQServer server;

	ClusterObserver(BrokerSettings.Cluster settings) {
		this.settings = settings;
	}

	@Override
	public void registered(ActiveMQServer server) {
		this.server = server;
	}

	@Override
	public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
			boolean noAutoCreateQueue) {
		// A cluster bridge sends with the cluster user's session, and only what it forwards for queues here: the
		// queues it is meant for travel with it (removed once routed, hence before the send).
		if (session != null && Objects.equals(this.settings.user(), session.getUsername())
				&& message.containsProperty(Message.HDR_ROUTE_TO_IDS)) {
			this.received.incrementAndGet();
		}
	}

	BrokerCluster view() {
		ActiveMQServer running = this.server;
		ClusterConnection connection = (running != null && running.getClusterManager() != null)
				? running.getClusterManager().getClusterConnection(ClusterSetup.CLUSTER_CONNECTION) : null;
		List<BrokerCluster.Member> members = new ArrayList<>();
		long sent = 0;
		if (connection != null && connection.isStarted()) {
			String self = connection.getNodeID();
			for (TopologyMember member : connection.getTopology().getMembers()) {
				members.add(new BrokerCluster.Member(member.getNodeId(), Objects.toString(address(member.getPrimary()), "unknown"),
						address(member.getBackup()), member.getNodeId().equals(self)));
			}
			sent = connection.getMetrics().getMessagesAcknowledged();
		}
		boolean active = running != null && running.isActive();
		String role = switch (this.settings.ha()) {
			case PRIMARY -> "primary";
			case BACKUP -> "backup";
			case NONE -> "node";
		};
		String nodeId = (running != null && running.getNodeID() != null) ? running.getNodeID().toString() : null;
		return new BrokerCluster(this.settings.requireNodeName(), nodeId, role, active, members, sent, this.received.get());
	}

	private static @Nullable String address(@Nullable TransportConfiguration connector) {
		if (connector == null) {
			return null;
		}
		Map<String, Object> params = connector.getParams();
		return params.get("host") + ":" + params.get("port");
	}

}
