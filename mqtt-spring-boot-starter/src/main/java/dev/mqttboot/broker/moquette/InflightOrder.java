package dev.mqttboot.broker.moquette;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The order in which a reconnecting session's unacknowledged messages were first sent, from their packet ids alone
 * (the engine keeps its in-flight window in a map by id). Resending them in that order keeps one publisher's messages
 * in order [MQTT-4.6.0-6] across the reconnect.
 */
final class InflightOrder {

	/** Ids count up from 1 and wrap after 65,535; a window spread over more than half the range has wrapped. */
	private static final int HALF_RANGE = 32768;

	private InflightOrder() {
	}

	/**
	 * @param ids the packet ids in flight, in any order
	 * @return the same ids in the order they were sent: ascending, the wrapped low ids last
	 */
	static List<Integer> sendOrder(Collection<Integer> ids) {
		List<Integer> ordered = new ArrayList<>(ids);
		ordered.sort(null);
		if (!ordered.isEmpty() && ordered.get(ordered.size() - 1) - ordered.get(0) > HALF_RANGE) {
			List<Integer> wrapped = new ArrayList<>();
			ordered.removeIf((id) -> id < HALF_RANGE && wrapped.add(id));
			ordered.addAll(wrapped);
		}
		return ordered;
	}

}
