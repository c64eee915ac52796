package dev.mqttboot.broker.moquette;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order a reconnecting session's unacknowledged messages were sent in, from their packet ids.
 */
class InflightOrderTests {

	@Test
	void idsAreSentInAscendingOrder() {
		assertThat(InflightOrder.sendOrder(Set.of(7, 3, 5))).containsExactly(3, 5, 7);
	}

	@Test
	void aWindowThatWrappedPastTheLastIdSendsItsLowIdsLast() {
		assertThat(InflightOrder.sendOrder(List.of(2, 65534, 1, 65535))).containsExactly(65534, 65535, 1, 2);
	}

	@Test
	void aWindowInTheUpperHalfIsNotTakenForAWrappedOne() {
		assertThat(InflightOrder.sendOrder(List.of(40001, 40000, 39999))).containsExactly(39999, 40000, 40001);
	}

	@Test
	void nothingInFlightIsNothingToSend() {
		assertThat(InflightOrder.sendOrder(List.of())).isEmpty();
	}

}
