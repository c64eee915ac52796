package dev.mqttboot.broker.artemis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Artemis configuration a node of a symmetric cluster: a core listener for the other nodes, a cluster
 * connection to the configured members, and the address settings that keep MQTT's semantics across nodes.
 */
final class ClusterSetup {

	static final String CLUSTER_ACCEPTOR = "cluster";

	static final String CLUSTER_CONNECTION = "mqtt-cluster";

	private static final String SELF = "cluster-self";

	/**
	 * What the cluster forwards: everything but Artemis's own MQTT state ({@code $sys.mqtt.*}: session records and
	 * retained-message stores), which stays with the node that owns it. A filter of prefixes, as Artemis matches it.
	 */
	private static final String FORWARDED = "!$sys.mqtt";

	private static final Logger logger = LoggerFactory.getLogger(ClusterSetup.class);

	private ClusterSetup() {
	}

	static void configure(ConfigurationImpl config, BrokerSettings.Cluster cluster) {
		config.setClusterUser(cluster.user());
		config.setClusterPassword(cluster.password());
		String bind = bracketed(cluster.requireHost());
		try {
			config.addAcceptorConfiguration(CLUSTER_ACCEPTOR,
					"tcp://" + bind + ":" + cluster.port() + "?protocols=CORE");
		}
		catch (Exception ex) {
			throw new BrokerStartException("mqtt.broker.artemis.cluster.host", "The Artemis engine refused the cluster listener "
					+ bind + ":" + cluster.port() + ": " + ex.getMessage(), "Check mqtt.broker.artemis.cluster.host and port", ex);
		}
		config.addConnectorConfiguration(SELF, connector(SELF, cluster.requireAdvertisedHost(), cluster.port()));
		List<String> members = new ArrayList<>();
		List<String> addresses = new ArrayList<>(cluster.members());
		if (cluster.dnsName() != null) {
			addresses.addAll(resolve(cluster.dnsName(), cluster.port()));
		}
		for (String address : addresses) {
			int colon = address.lastIndexOf(':');
			String name = "cluster-member-" + members.size();
			config.addConnectorConfiguration(name,
					connector(name, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
			members.add(name);
		}
		config.addClusterConfiguration(new ClusterConnectionConfiguration().setName(CLUSTER_CONNECTION)
			.setAddress(FORWARDED)
			.setConnectorName(SELF)
			.setStaticConnectors(members)
			// A message goes only to nodes whose clients subscribed to it; messages waiting on a node whose
			// subscriber moved to another node follow it (redistribution, below).
			.setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
			// One hop: every node connects to every other one (a symmetric cluster).
			.setMaxHops(1)
			// A node that went away is retried for ever; what is meant for it waits in this node's journal.
			.setReconnectAttempts(-1)
			.setRetryInterval(500)
			.setMaxRetryInterval(5000)
			.setRetryIntervalMultiplier(2)
			// A silent node (a partition, not a closed socket) is given up after 15 s instead of Artemis's 60.
			.setClientFailureCheckPeriod(5000)
			.setConnectionTTL(15000)
			.setDuplicateDetection(true));
		// A persistent session that reconnects to another node subscribes there: what waits for it on the old node
		// is moved to the new one as soon as the old queue has no consumer (redistribution, delay 0).
		AddressSettings all = config.getAddressSettings().get("#");
		if (all == null) {
			all = new AddressSettings();
			config.addAddressSetting("#", all);
		}
		all.setRedistributionDelay(0);
		switch (cluster.ha()) {
			case PRIMARY -> config.setHAPolicyConfiguration(new ReplicatedPolicyConfiguration()
				.setGroupName(cluster.haGroup())
				.setClusterName(CLUSTER_CONNECTION)
				// A primary that restarts while its backup serves does not become a second active node.
				.setCheckForActiveServer(true)
				// A primary that loses its backup and cannot reach a majority of the cluster stops serving.
				.setVoteOnReplicationFailure(true));
			case BACKUP -> {
				// No fail-back: a backup that took over stays active, and its old primary, restarted, finds it active
				// and becomes its backup (the two swap roles). With fail-back, the backup's restart as a backup cut
				// the replication its primary had just taken over, and the primary's vote on that failure stopped it:
				// the pair went round in circles.
				ReplicaPolicyConfiguration backup = new ReplicaPolicyConfiguration().setGroupName(cluster.haGroup())
					.setClusterName(CLUSTER_CONNECTION)
					.setAllowFailBack(false)
					.setRestartBackup(true);
				config.setHAPolicyConfiguration(backup);
			}
			default -> {
				// A node without a backup still takes part in the quorum votes of the others' backups: Artemis
				// counts only replication primaries, so it is one, of a group of its own, that never waits for a
				// backup and never stops for the lack of one. Without a journal there is nothing to replicate: it
				// stays a plain node (and does not vote).
				if (config.isPersistenceEnabled()) {
					config.setHAPolicyConfiguration(new ReplicatedPolicyConfiguration()
						.setGroupName(cluster.nodeName())
						.setClusterName(CLUSTER_CONNECTION)
						.setCheckForActiveServer(false)
						.setVoteOnReplicationFailure(false));
				}
			}
		}
	}

	/** The addresses a DNS name has now, each a node on the cluster port (a headless Service lists each pod). */
	private static List<String> resolve(String name, int port) {
		List<String> addresses = new ArrayList<>();
		try {
			for (InetAddress address : InetAddress.getAllByName(name)) {
				addresses.add(address.getHostAddress() + ":" + port);
			}
			logger.info("Cluster members of {}: {}", name, addresses);
		}
		catch (UnknownHostException ex) {
			// The first node of a new cluster may see no address yet: it starts alone, and the others join it.
			logger.warn("Cluster DNS name {} resolves to nothing yet ({}); starting without members", name,
					ex.getMessage());
		}
		return addresses;
	}

	private static TransportConfiguration connector(String name, String host, int port) {
		java.util.Map<String, Object> params = new java.util.HashMap<>();
		params.put("host", host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
		params.put("port", port);
		return new TransportConfiguration(
				"org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory", params, name);
	}

	private static String bracketed(String host) {
		return (host.contains(":") && !host.startsWith("[")) ? "[" + host + "]" : host;
	}

}
