package dev.mqttboot.broker.artemis;

import java.util.Map;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;

/**
 * What the cluster's nodes know of one client's MQTT session: which node holds it (its owner: where the client last
 * connected), since when, whether it outlives its connection, and its subscriptions with their QoS, MQTT 5 options and
 * identifiers. The subscriptions travel in the body Artemis itself writes to its session store
 * ({@code $sys.mqtt.sessions}); the rest in message properties.
 *
 * @param clientId the client id
 * @param owner the name of the node that holds the session
 * @param version when the client connected to the owner (milliseconds since the epoch, or 0 for a session a node
 * found in its journal at start): of two descriptions the later connection wins, a tie going to the greater owner name
 * @param revision how many times the session changed since that connection (SUBSCRIBE, UNSUBSCRIBE, the end of the
 * connection): of two descriptions of one connection the later change wins
 * @param persistent whether the session outlives its connection (MQTT 3.1.1 clean session 0, MQTT 5 session expiry
 * above 0)
 * @param discardsEarlier whether the connection that made this description asked for a clean start: what another node
 * held for the client is discarded, not moved
 * @param expirySeconds the MQTT 5 session expiry interval in seconds, or -1 when the session never expires
 * @param disconnectedAt when the client disconnected (milliseconds since the epoch), or 0 while it is connected
 * @param subscriptions the subscriptions by topic filter
 */
record SessionDescription(String clientId, String owner, long version, int revision, boolean persistent, boolean discardsEarlier,
		long expirySeconds, long disconnectedAt, Map<String, MQTTSessionState.SubscriptionItem> subscriptions) {

	private static final SimpleString OWNER = SimpleString.of("mqttBootSessionOwner");

	private static final SimpleString VERSION = SimpleString.of("mqttBootSessionVersion");

	private static final SimpleString REVISION = SimpleString.of("mqttBootSessionRevision");

	private static final SimpleString PERSISTENT = SimpleString.of("mqttBootSessionPersistent");

	private static final SimpleString DISCARDS = SimpleString.of("mqttBootSessionDiscards");

	private static final SimpleString EXPIRY = SimpleString.of("mqttBootSessionExpiry");

	private static final SimpleString DISCONNECTED_AT = SimpleString.of("mqttBootSessionDisconnectedAt");

	/** @return whether this description replaces the other one */
	boolean supersedes(SessionDescription other) {
		if (this.version != other.version) {
			return this.version > other.version;
		}
		int owners = this.owner.compareTo(other.owner);
		return (owners != 0) ? owners > 0 : this.revision > other.revision;
	}

	/** @return whether a client connecting at the given time would still find this session */
	boolean resumableAt(long now) {
		return this.persistent && !this.subscriptions.isEmpty() && (this.expirySeconds < 0 || this.disconnectedAt == 0
				|| this.disconnectedAt + this.expirySeconds * 1000 > now);
	}

	/** @return the session state Artemis would keep for this description: the client id and subscriptions */
	MQTTSessionState toState(WildcardConfiguration wildcards) throws Exception {
		MQTTSessionState state = new MQTTSessionState(this.clientId);
		for (MQTTSessionState.SubscriptionItem item : this.subscriptions.values()) {
			state.addSubscription(item.getSubscription(), wildcards, item.getId());
		}
		return state;
	}

	/** @return the description as a message, its body as Artemis's session store has it */
	Message toMessage(WildcardConfiguration wildcards, long messageId) throws Exception {
		CoreMessage message = MQTTStateManager.serializeState(toState(wildcards), messageId);
		message.putStringProperty(OWNER, SimpleString.of(this.owner));
		message.putLongProperty(VERSION, this.version);
		message.putIntProperty(REVISION, this.revision);
		message.putBooleanProperty(PERSISTENT, this.persistent);
		message.putBooleanProperty(DISCARDS, this.discardsEarlier);
		message.putLongProperty(EXPIRY, this.expirySeconds);
		message.putLongProperty(DISCONNECTED_AT, this.disconnectedAt);
		return message;
	}

	/** @return the description a message made by {@link #toMessage} carries */
	static SessionDescription fromMessage(Message message) {
		MQTTSessionState state = new MQTTSessionState((CoreMessage) message.toCore());
		return new SessionDescription(state.getClientId(), message.getStringProperty(OWNER),
				message.getLongProperty(VERSION), message.getIntProperty(REVISION), message.getBooleanProperty(PERSISTENT),
				message.getBooleanProperty(DISCARDS), message.getLongProperty(EXPIRY),
				message.getLongProperty(DISCONNECTED_AT), state.getSubscriptionsPlusID());
	}

}
