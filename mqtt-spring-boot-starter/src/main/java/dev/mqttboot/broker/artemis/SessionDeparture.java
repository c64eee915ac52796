package dev.mqttboot.broker.artemis;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session leaving this node because its client connected to another one: once the client's connection here is
 * closed (Artemis closes it when the client id connects to another node), the session state is removed, and each of
 * its subscription queues goes once it is empty. A queue whose subscription the session keeps on its new node empties through Artemis's
 * redistribution (the same queue name on both nodes, a consumer only on the new one); one it does not keep (a clean
 * start, an unsubscribe) is deleted with what it holds.
 */
final class SessionDeparture {

	private static final long FIRST_CHECK_MILLIS = 20;

	private static final long LONGEST_CHECK_MILLIS = 2_000;

	private static final Logger logger = LoggerFactory.getLogger(SessionDeparture.class);

	private final ActiveMQServer server;

	private final BooleanSupplier stillAway;

	private final String clientId;

	private final SessionDescription destination;

	/** The session's queues here, each with whether its messages follow the session (else they are discarded). */
	private final Map<String, Boolean> queues = new LinkedHashMap<>();

	/**
	 * @param server the active server
	 * @param destination the description of the session on its new node
	 * @param stillAway whether the session is still owned elsewhere (a client back here stops the departure)
	 */
	private SessionDeparture(ActiveMQServer server, SessionDescription destination, BooleanSupplier stillAway) {
		this.server = server;
		this.clientId = destination.clientId();
		this.destination = destination;
		this.stillAway = stillAway;
	}

	/** Start the departure of a session that another node now owns, if this node holds anything of it. */
	static void start(ActiveMQServer server, SessionDescription destination, BooleanSupplier stillAway) {
		new SessionDeparture(server, destination, stillAway).schedule(0);
	}

	private void schedule(long delayMillis) {
		this.server.getScheduledPool().schedule(() -> step(delayMillis), delayMillis, TimeUnit.MILLISECONDS);
	}

	private void step(long lastDelay) {
		try {
			if (!this.stillAway.getAsBoolean()) {
				logger.debug("Session {} is back on this node: its departure stops", this.clientId);
				return;
			}
			// While the client is still connected here (for the moment Artemis takes to close the connection), or a
			// queue still holds messages, looked at again a little later each time.
			if (!leaveState() || !removeQueues()) {
				schedule(Math.min(LONGEST_CHECK_MILLIS, Math.max(FIRST_CHECK_MILLIS, lastDelay * 2)));
			}
		}
		catch (Exception ex) {
			logger.warn("The session of {} could not leave this node yet: {}", this.clientId, ex.toString());
			schedule(LONGEST_CHECK_MILLIS);
		}
	}

	/**
	 * Remove the session state here, noting its queues.
	 * @return {@code false} while the client is still connected here
	 */
	private boolean leaveState() throws Exception {
		MQTTStateManager manager = MqttSessions.stateManager(this.server);
		MQTTSessionState state = (manager != null) ? manager.getSessionStates().get(this.clientId) : null;
		if (this.queues.isEmpty()) {
			// Also the queues a node that restarted kept for a session it no longer knows (its state went before).
			Set<String> filters = new LinkedHashSet<>(this.destination.subscriptions().keySet());
			if (state != null) {
				filters.addAll(state.getSubscriptionsPlusID().keySet());
			}
			WildcardConfiguration wildcards = this.server.getConfiguration().getWildcardConfiguration();
			for (String filter : filters) {
				if (!MQTTUtil.isSharedSubscription(filter)) {
					this.queues.put(MQTTUtil.getCoreQueueFromMqttTopic(filter, this.clientId, wildcards),
							follows(filter));
				}
			}
		}
		if (manager == null || state == null) {
			return true;
		}
		if (state.isAttached()) {
			return false;
		}
		manager.removeSessionState(this.clientId);
		logger.debug("Session of {} left this node for cluster node {}", this.clientId, this.destination.owner());
		return true;
	}

	/** @return whether every queue of the session here is gone */
	private boolean removeQueues() {
		this.queues.entrySet().removeIf((entry) -> removeQueue(entry.getKey(), entry.getValue()));
		return this.queues.isEmpty();
	}

	/** Whether what a queue holds follows the session to its new node. */
	private boolean follows(String filter) {
		return this.destination.persistent() && !this.destination.discardsEarlier()
				&& this.destination.subscriptions().containsKey(filter);
	}

	/** @return whether the queue is gone (or no longer this departure's business) */
	private boolean removeQueue(String name, boolean follows) {
		Queue queue = this.server.locateQueue(name);
		if (queue == null) {
			return true;
		}
		if (queue.getConsumerCount() > 0) {
			// The client is back here and consuming: the queue is the session's again.
			return true;
		}
		if (follows && (queue.getMessageCount() > 0 || queue.getDeliveringCount() > 0)) {
			return false;
		}
		try {
			this.server.destroyQueue(SimpleString.of(name), null, true, false, false, follows);
			return true;
		}
		catch (Exception ex) {
			// A message arrived between the check and the delete: it moves on first.
			logger.debug("Queue {} is not empty yet: {}", name, ex.toString());
			return false;
		}
	}

	@Override
	public String toString() {
		return "departure of " + this.clientId + " to " + this.destination.owner();
	}

}
