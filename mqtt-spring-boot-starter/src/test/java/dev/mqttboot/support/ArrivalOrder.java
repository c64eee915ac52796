package dev.mqttboot.support;

import java.util.ArrayList;
import java.util.List;

/**
 * [MQTT-4.6.0-6] checks on what a subscriber received from one publisher: the sequence numbers, in arrival order.
 */
public final class ArrivalOrder {

	private ArrivalOrder() {
	}

	/**
	 * The numbers that arrived after a higher one.
	 * @param sequence the numbers, in arrival order
	 * @param duplicatesAllowed whether a number that arrives again (QoS 1 allows it) is left out
	 * @return one description per late arrival ({@code "7 after 9"}, {@code "7 again after 9"}), empty when in order
	 */
	public static List<String> lateArrivals(List<Integer> sequence, boolean duplicatesAllowed) {
		List<String> late = new ArrayList<>();
		int highest = -1;
		for (int i = 0; i < sequence.size(); i++) {
			int number = sequence.get(i);
			boolean again = sequence.subList(0, i).contains(number);
			if (number < highest && !(duplicatesAllowed && again)) {
				late.add(number + (again ? " again" : "") + " after " + highest);
			}
			highest = Math.max(highest, number);
		}
		return late;
	}

}
