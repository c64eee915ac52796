package dev.mqttboot.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Which filters a connection subscribes to on the broker when its own filters overlap.
 */
class CoveringSubscriptionsTests {

	@Test
	void aCoveredFilterIsNotSubscribedAndRaisesTheCoveringQos() {
		Map<String, Integer> wire = CoveringSubscriptions.plan(requested("plant/#", 0, "plant/+/temperature", 2));
		assertThat(wire).containsExactly(entry("plant/#", 2));
		assertThat(CoveringSubscriptions.subscribedAs("plant/+/temperature", wire.keySet())).isEqualTo("plant/#");
	}

	@Test
	void chainsCollapseToTheWidestFilter() {
		Map<String, Integer> wire = CoveringSubscriptions
			.plan(requested("a/b/c", 1, "a/b/#", 0, "a/#", 0, "x/y", 2));
		assertThat(wire).containsOnly(entry("a/#", 1), entry("x/y", 2));
	}

	@Test
	void filtersThatOnlyIntersectAreBothSubscribed() {
		Map<String, Integer> wire = CoveringSubscriptions.plan(requested("a/+/c", 1, "a/b/+", 1));
		assertThat(wire).containsOnly(entry("a/+/c", 1), entry("a/b/+", 1));
	}

	@Test
	void sharedAndDollarTopicsAreLeftAlone() {
		Map<String, Integer> wire = CoveringSubscriptions
			.plan(requested("#", 0, "$share/g/a/b", 1, "$SYS/broker/uptime", 0, "a/b", 1));
		assertThat(wire).containsOnly(entry("#", 1), entry("$share/g/a/b", 1), entry("$SYS/broker/uptime", 0));
		assertThat(CoveringSubscriptions.subscribedAs("$share/g/a/b", wire.keySet())).isEqualTo("$share/g/a/b");
		assertThat(CoveringSubscriptions.subscribedAs("a/b", wire.keySet())).isEqualTo("#");
	}

	@Test
	void aParentLevelFilterIsCoveredByItsMultiLevelWildcard() {
		assertThat(CoveringSubscriptions.plan(requested("a", 1, "a/#", 0))).containsOnly(entry("a/#", 1));
		assertThat(CoveringSubscriptions.plan(requested("a", 1, "a/+", 0))).containsOnly(entry("a", 1),
				entry("a/+", 0));
	}

	private static Map<String, Integer> requested(Object... filtersAndQos) {
		Map<String, Integer> requested = new LinkedHashMap<>();
		List<Object> values = List.of(filtersAndQos);
		for (int i = 0; i < values.size(); i += 2) {
			requested.put((String) values.get(i), (Integer) values.get(i + 1));
		}
		return requested;
	}

}
