package dev.mqttboot.broker.artemis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerConnectionPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * Sends each client its PUBRELs in the order its PUBRECs came ([MQTT-4.6.0-3] for the client's side; Paho and other
 * clients hand a QoS 2 message to the application when its PUBREL arrives, so out of order PUBRELs reorder messages).
 * <p>
 * Artemis 2.53 answers a PUBREC by putting a PUBREL record in the session's QoS 2 queue and sends the PUBREL when
 * that queue delivers it; the record reaches the queue when its journal write completes, in whatever storage context
 * the server thread had, so PUBRELs went out of order (78 of 2,000 to a persistent session in one run). This notes
 * the order of PUBRECs as they arrive and writes each PUBREL in its turn: one that comes before an earlier one is held
 * until the earlier one goes. A PUBREL is written only once Artemis has its record in the journal (it is sent from the
 * queue that holds the record), so nothing waits for the storage context here. A PUBREL that never comes (Artemis
 * failed to record it) releases the ones behind it after {@link #GIVE_UP_MILLIS}.
 */
final class ReleaseOrder implements ActiveMQServerConnectionPlugin {

	/** How long PUBRELs wait behind one that does not come. */
	static final long GIVE_UP_MILLIS = 1_000;

	private final Map<Object, Releases> connections = new ConcurrentHashMap<>();

	@Override
	public void registered(ActiveMQServer server) {
		server.getRemotingService().addIncomingInterceptor((MQTTInterceptor) this::incoming);
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::outgoing);
	}

	@Override
	public void afterDestroyConnection(RemotingConnection connection) {
		this.connections.remove(connection.getID());
	}

	private boolean incoming(MqttMessage packet, RemotingConnection connection) {
		if (packet.fixedHeader().messageType() == MqttMessageType.PUBREC
				&& connection.getTransportConnection() instanceof NettyConnection netty) {
			this.connections.computeIfAbsent(connection.getID(), (id) -> new Releases(netty.getChannel()))
				.received(packetId(packet));
		}
		return true;
	}

	/**
	 * A PUBREL that will not be sent: the starter completes that exchange for the client (a message a deny rule
	 * withheld), so the PUBRELs behind it need not wait for it.
	 */
	void notSent(RemotingConnection connection, int packetId) {
		Releases releases = this.connections.get(connection.getID());
		if (releases != null) {
			releases.notSent(packetId);
		}
	}

	private boolean outgoing(MqttMessage packet, RemotingConnection connection) {
		if (packet.fixedHeader().messageType() != MqttMessageType.PUBREL) {
			return true;
		}
		Releases releases = this.connections.get(connection.getID());
		return releases == null || releases.sending(packetId(packet), packet);
	}

	private static int packetId(MqttMessage packet) {
		return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
	}

	/** One connection's PUBRECs not yet answered, in the order they came, and the PUBRELs held for them. */
	private static final class Releases {

		private final Channel channel;

		private final ArrayDeque<Integer> expected = new ArrayDeque<>();

		private final Map<Integer, MqttMessage> held = new HashMap<>();

		private boolean giveUpScheduled;

		Releases(Channel channel) {
			this.channel = channel;
		}

		synchronized void received(int packetId) {
			this.expected.remove(packetId);
			this.expected.addLast(packetId);
		}

		/**
		 * @return whether Artemis may write this PUBREL itself (one this connection's PUBRECs did not ask for);
		 * otherwise it is written here in its turn, now or once the ones before it have gone
		 */
		synchronized boolean sending(int packetId, MqttMessage pubrel) {
			if (!this.expected.contains(packetId)) {
				return true;
			}
			this.held.put(packetId, pubrel);
			// Written under the lock: another thread's PUBREL may not slip in between.
			write(due());
			if (!this.held.isEmpty()) {
				scheduleGiveUp();
			}
			return false;
		}

		synchronized void notSent(int packetId) {
			this.expected.remove(packetId);
			write(due());
		}

		/** The held PUBRELs whose turn has come, in order. */
		private List<MqttMessage> due() {
			List<MqttMessage> due = new ArrayList<>();
			while (!this.expected.isEmpty() && this.held.containsKey(this.expected.peekFirst())) {
				due.add(this.held.remove(this.expected.removeFirst()));
			}
			return due;
		}

		private void scheduleGiveUp() {
			if (this.giveUpScheduled) {
				return;
			}
			this.giveUpScheduled = true;
			this.channel.eventLoop().schedule(this::giveUp, GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
		}

		private synchronized void giveUp() {
			this.giveUpScheduled = false;
			while (!this.held.isEmpty() && !this.held.containsKey(this.expected.peekFirst())) {
				this.expected.removeFirst();
			}
			write(due());
			if (!this.held.isEmpty()) {
				scheduleGiveUp();
			}
		}

		private void write(List<MqttMessage> due) {
			for (MqttMessage pubrel : due) {
				this.channel.write(pubrel);
			}
			if (!due.isEmpty()) {
				this.channel.flush();
			}
		}

	}

}
