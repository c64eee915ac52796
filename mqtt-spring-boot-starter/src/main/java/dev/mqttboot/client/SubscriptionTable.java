package dev.mqttboot.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.mqttboot.core.TopicSyntax;

import org.jspecify.annotations.Nullable;

/**
 * The subscriptions a connection was asked for, and the ones it holds on the broker. Requests for overlapping filters
 * go to the broker as the fewest subscriptions that cover them ({@link CoveringSubscriptions}); after every connect
 * all of them are subscribed again, whatever the session flags say. It also tells who asks when the broker has
 * answered a filter on the current connection ({@link #answer}). One lock guards the table; the calls to the broker
 * it makes under it only queue packets with the client library, and futures are completed after it is released.
 */
final class SubscriptionTable {

	/** The broker side: sends SUBSCRIBE and UNSUBSCRIBE. */
	interface Wire {

		void subscribe(String topicFilter, int qos);

		void unsubscribe(String topicFilter);

	}

	private final Wire wire;

	private final Object lock = new Object();

	/** Requested filters, in request order. Guarded by {@link #lock}. */
	private final Map<String, Requested> requested = new LinkedHashMap<>();

	/** Filters subscribed on the broker on the current connection, with their QoS. Guarded by {@link #lock}. */
	private Map<String, Integer> subscribed = Map.of();

	/** What the broker answered to each subscribed filter on the current connection. Guarded by {@link #lock}. */
	private final Map<String, Integer> granted = new LinkedHashMap<>();

	/** Guarded by {@link #lock}. */
	private boolean connected;

	/** Who waits for the broker's answer to a requested filter, one future per filter. Guarded by {@link #lock}. */
	private final Map<String, CompletableFuture<Integer>> waiting = new HashMap<>();

	/** Handlers by requested filter, rebuilt on change, read without the lock by every received message. */
	private volatile List<Map.Entry<String, List<MessageHandler>>> routes = List.of();

	SubscriptionTable(Wire wire) {
		this.wire = wire;
	}

	/**
	 * Add a handler for a filter.
	 * @return the subscription, which removes the handler when cancelled
	 */
	MqttSubscription add(String topicFilter, int qos, MessageHandler handler) {
		synchronized (this.lock) {
			this.requested.computeIfAbsent(topicFilter, (filter) -> new Requested()).handlers.put(handler, qos);
			changed();
		}
		return new MqttSubscription() {
			@Override
			public String topicFilter() {
				return topicFilter;
			}

			@Override
			public int qos() {
				return qos;
			}

			@Override
			public CompletableFuture<Integer> answered() {
				return answer(topicFilter);
			}

			@Override
			public void cancel() {
				remove(topicFilter, handler);
			}
		};
	}

	private void remove(String topicFilter, MessageHandler handler) {
		CompletableFuture<Integer> abandoned = null;
		synchronized (this.lock) {
			Requested entry = this.requested.get(topicFilter);
			if (entry != null && entry.handlers.remove(handler) != null && entry.handlers.isEmpty()) {
				this.requested.remove(topicFilter);
				abandoned = this.waiting.remove(topicFilter);
			}
			changed();
		}
		if (abandoned != null) {
			abandoned.cancel(false);
		}
	}

	/**
	 * The broker's answer to a requested filter on the current connection: at once when it has answered, else when
	 * it does (after the next connect while disconnected). Ends exceptionally when the filter is no longer requested.
	 * @param topicFilter a requested filter
	 * @return a future of the granted QoS, or the reason code (0x80 and above) of a refusal
	 */
	CompletableFuture<Integer> answer(String topicFilter) {
		synchronized (this.lock) {
			if (!this.requested.containsKey(topicFilter)) {
				return CompletableFuture.failedFuture(
						new IllegalStateException("'" + topicFilter + "' is not subscribed on this connection"));
			}
			Integer answer = currentAnswer(topicFilter);
			if (answer != null) {
				return CompletableFuture.completedFuture(answer);
			}
			// A copy per caller: one who gives up (cancels) does not cancel the others.
			return this.waiting.computeIfAbsent(topicFilter, (filter) -> new CompletableFuture<>()).copy();
		}
	}

	/** A new connection: nothing is subscribed on it yet, so subscribe everything. */
	void connected() {
		synchronized (this.lock) {
			this.connected = true;
			this.subscribed = Map.of();
			this.granted.clear();
			sync();
		}
	}

	void disconnected() {
		synchronized (this.lock) {
			this.connected = false;
		}
	}

	/**
	 * Record the broker's answer to a SUBSCRIBE.
	 * @param topicFilter the filter as subscribed
	 * @param grantedQosOrReason the granted QoS, or a reason code of 0x80 and above
	 */
	void answered(String topicFilter, int grantedQosOrReason) {
		Map<CompletableFuture<Integer>, Integer> answers = new HashMap<>();
		synchronized (this.lock) {
			this.granted.put(topicFilter, grantedQosOrReason);
			this.waiting.entrySet().removeIf((waiter) -> {
				Integer answer = currentAnswer(waiter.getKey());
				if (answer == null) {
					return false;
				}
				answers.put(waiter.getValue(), answer);
				return true;
			});
		}
		answers.forEach(CompletableFuture::complete);
	}

	/**
	 * The handlers of every requested filter that matches a topic, each once.
	 * @param topic a received message's topic
	 * @return the handlers, in request order
	 */
	Set<MessageHandler> handlersFor(String topic) {
		Set<MessageHandler> targets = new LinkedHashSet<>();
		for (Map.Entry<String, List<MessageHandler>> route : this.routes) {
			if (TopicSyntax.matches(withoutSharePrefix(route.getKey()), topic)) {
				targets.addAll(route.getValue());
			}
		}
		return targets;
	}

	/**
	 * Every requested filter, with the QoS asked and the broker's answer on the current connection.
	 * @return the statuses, in request order
	 */
	List<MqttConnection.SubscriptionStatus> statuses() {
		synchronized (this.lock) {
			List<MqttConnection.SubscriptionStatus> statuses = new ArrayList<>();
			this.requested.forEach((filter, entry) -> statuses
				.add(new MqttConnection.SubscriptionStatus(filter, entry.qos(), currentAnswer(filter))));
			return statuses;
		}
	}

	/**
	 * The broker's answer on the current connection to the subscription that carries a requested filter (itself or
	 * one covering it), or {@code null} while there is none. Guarded by {@link #lock}.
	 */
	private @Nullable Integer currentAnswer(String filter) {
		String subscribedAs = CoveringSubscriptions.subscribedAs(filter, this.subscribed.keySet());
		return (subscribedAs != null) ? this.granted.get(subscribedAs) : null;
	}

	/** Guarded by {@link #lock}. */
	private void changed() {
		List<Map.Entry<String, List<MessageHandler>>> updated = new ArrayList<>();
		this.requested.forEach((filter, entry) -> updated.add(Map.entry(filter, List.copyOf(entry.handlers.keySet()))));
		this.routes = List.copyOf(updated);
		sync();
	}

	/**
	 * Bring the broker's subscriptions in line with the requested ones: subscribe what is new (or now wants a higher
	 * QoS), then unsubscribe what is no longer needed. Guarded by {@link #lock}.
	 */
	private void sync() {
		if (!this.connected) {
			return;
		}
		Map<String, Integer> wanted = new LinkedHashMap<>();
		this.requested.forEach((filter, entry) -> wanted.put(filter, entry.qos()));
		Map<String, Integer> plan = CoveringSubscriptions.plan(wanted);
		Map<String, Integer> previous = this.subscribed;
		this.subscribed = plan;
		plan.forEach((filter, qos) -> {
			if (!qos.equals(previous.get(filter))) {
				// Asked again (at another QoS): the earlier answer no longer stands.
				this.granted.remove(filter);
				this.wire.subscribe(filter, qos);
			}
		});
		previous.keySet().stream().filter((filter) -> !plan.containsKey(filter)).forEach((filter) -> {
			this.granted.remove(filter);
			this.wire.unsubscribe(filter);
		});
	}

	private static String withoutSharePrefix(String filter) {
		if (filter.startsWith("$share/")) {
			int slash = filter.indexOf('/', "$share/".length());
			return (slash > 0) ? filter.substring(slash + 1) : filter;
		}
		return filter;
	}

	/** The handlers of one requested filter, each with the QoS it asked for. */
	private static final class Requested {

		private final Map<MessageHandler, Integer> handlers = new LinkedHashMap<>();

		/** The highest QoS any handler asked for. */
		int qos() {
			return this.handlers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
		}

	}

}
