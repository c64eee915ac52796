package dev.mqttboot.client;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mqttboot.core.TopicSyntax;

import org.jspecify.annotations.Nullable;

/**
 * Which of a connection's topic filters go to the broker. A filter that another of the connection's filters covers
 * (such as {@code plant/+/temperature} under {@code plant/#}) is not subscribed on its own: some brokers send one copy
 * of a message per matching subscription (Mosquitto does to MQTT 5 clients), and the connection dispatches every
 * message to all its matching filters anyway. The covering filter is subscribed at the highest QoS of those it
 * covers. Shared subscriptions ({@code $share/...}) always go as they are.
 */
final class CoveringSubscriptions {

	private CoveringSubscriptions() {
	}

	/**
	 * The filters to subscribe to on the broker.
	 * @param requested the connection's filters and the QoS asked for each
	 * @return the filters that no other requested filter covers, each with the highest QoS among those it covers
	 */
	static Map<String, Integer> plan(Map<String, Integer> requested) {
		Map<String, Integer> wire = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> entry : requested.entrySet()) {
			String filter = entry.getKey();
			if (isShared(filter) || coveringFilter(filter, requested.keySet()) == null) {
				wire.put(filter, entry.getValue());
			}
		}
		for (Map.Entry<String, Integer> entry : requested.entrySet()) {
			String filter = entry.getKey();
			if (!wire.containsKey(filter)) {
				String covering = coveringFilter(filter, wire.keySet());
				wire.merge((covering != null) ? covering : filter, entry.getValue(), Math::max);
			}
		}
		return wire;
	}

	/**
	 * The filter under which a requested filter is subscribed.
	 * @param filter a requested filter
	 * @param wire the filters subscribed on the broker
	 * @return the filter itself when it is subscribed, else the one that covers it, or {@code null}
	 */
	static @Nullable String subscribedAs(String filter, Iterable<String> wire) {
		for (String candidate : wire) {
			if (candidate.equals(filter)) {
				return filter;
			}
		}
		return isShared(filter) ? null : coveringFilter(filter, wire);
	}

	private static @Nullable String coveringFilter(String filter, Iterable<String> others) {
		for (String other : others) {
			if (!other.equals(filter) && !isShared(other) && TopicSyntax.covers(other, filter)) {
				return other;
			}
		}
		return null;
	}

	private static boolean isShared(String filter) {
		return filter.startsWith("$share/");
	}

}
