package dev.mqttboot.broker.artemis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.handler.codec.mqtt.MqttMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerSessionPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;

/**
 * [MQTT-4.6.0-6] Keeps each connection's packets in the order Artemis sends them, and so one publisher's messages to
 * a topic in order at each subscriber.
 * <p>
 * Artemis's MQTT protocol writes a packet to its client only once the storage context of the writing thread has
 * completed its pending journal writes. That context is a thread-local one: Artemis's core protocol sets the
 * session's own before each packet, its MQTT protocol does not, so a write took whatever context its server thread
 * last had. Two packets to one client, sent in order from two threads, waited on two contexts and went out in
 * whichever order those completed: PUBLISHes to a persistent session (bench scenario 10 counted 45,000 of 400,000
 * late), and PUBRELs, which Paho and others take as the moment to hand a QoS 2 message to the application.
 * <p>
 * This sets the connection's session context on the thread at each point that precedes a write: every outgoing MQTT
 * packet (an interceptor, called just before the write is queued), and every send into the broker, so that a
 * publisher's journal writes and the PUBACK or PUBREC that waits for them share that context too.
 */
final class SessionStorageContext implements ActiveMQServerMessagePlugin, ActiveMQServerSessionPlugin {

	private final Map<Object, OperationContext> contexts = new ConcurrentHashMap<>();

	private volatile @Nullable StorageManager storage;

	@Override
	public void registered(ActiveMQServer server) {
		this.storage = server.getStorageManager();
		server.getRemotingService().addOutgoingInterceptor((MQTTInterceptor) this::beforeWrite);
	}

	@Override
	public void afterCreateSession(ServerSession session) {
		OperationContext context = session.getSessionContext();
		if (context != null) {
			this.contexts.put(session.getConnectionID(), context);
		}
	}

	@Override
	public void afterCloseSession(ServerSession session, boolean failed) {
		this.contexts.remove(session.getConnectionID(), session.getSessionContext());
	}

	@Override
	public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
			boolean noAutoCreateQueue) {
		use(session.getSessionContext());
	}

	@Override
	public void afterDeliver(ServerConsumer consumer, MessageReference reference) {
		// The delivery's write waits in its connection's context by now: the thread goes back to a context of its own.
		StorageManager current = this.storage;
		if (current != null) {
			current.clearContext();
		}
	}

	private boolean beforeWrite(MqttMessage packet, RemotingConnection connection) {
		use(this.contexts.get(connection.getID()));
		return true;
	}

	private void use(@Nullable OperationContext context) {
		StorageManager current = this.storage;
		if (current != null && context != null) {
			current.setContext(context);
		}
	}

}
