package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.support.FreePorts;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.FailureListener;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CONNECT deadline ({@code mqtt.broker.connect-timeout}) is for MQTT clients only. The cluster's own links
 * (bridges, replication, quorum votes) speak Artemis's core protocol on the cluster port and never send an MQTT
 * CONNECT; once held to the deadline, each was closed when it ran out, and a cluster reported its nodes down and up
 * again every few seconds (which left a passive backup, at its primary's death, with nobody to ask for a vote).
 */
class ClusterLinkTests {

	@Test
	void aCoreConnectionOnTheClusterPortOutlivesTheMqttConnectDeadline() throws Exception {
		int clusterPort = FreePorts.loopback();
		try (TestBroker node = TestBroker.start(BrokerEngine.ARTEMIS, "mqtt.broker.connect-timeout=1s",
				"mqtt.broker.persistence.enabled=false", "mqtt.broker.artemis.cluster.enabled=true",
				"mqtt.broker.artemis.cluster.node-name=n1", "mqtt.broker.artemis.cluster.host=127.0.0.1",
				"mqtt.broker.artemis.cluster.port=" + clusterPort, "mqtt.broker.artemis.cluster.members=127.0.0.1:" + clusterPort,
				"mqtt.broker.artemis.cluster.password=cluster-s3cret");
				ServerLocator locator = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + clusterPort);
				ClientSessionFactory link = locator.createSessionFactory();
				RawMqttClient silent = new RawMqttClient(node.port())) {
			RemotingConnection opened = link.getConnection();
			List<ActiveMQException> failures = new CopyOnWriteArrayList<>();
			opened.addFailureListener(new FailureListener() {
				@Override
				public void connectionFailed(ActiveMQException exception, boolean failedOver) {
					failures.add(exception);
				}

				@Override
				public void connectionFailed(ActiveMQException exception, boolean failedOver,
						String scaleDownTargetNodeID) {
					failures.add(exception);
				}
			});
			// The deadline is on: an MQTT connection that sends nothing is closed once it has passed...
			assertThat(silent.closedWithin(Duration.ofSeconds(15))).isTrue();
			// ...and the core connection, opened before it, is still the one it was (the factory would open a new one
			// on demand).
			assertThat(failures).isEmpty();
			assertThat(opened.isDestroyed()).isFalse();
			assertThat(link.getConnection()).isSameAs(opened);
		}
	}

}
