package dev.mqttboot.broker.protocol;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keep-alive ceiling both engines apply: none asked, or more than the ceiling, gets the ceiling.
 */
class KeepAliveCeilingTests {

	@Test
	void aClientAskingForNoneOrMoreGetsTheCeilingAndOneAskingForLessKeepsIt() {
		KeepAliveCeiling ceiling = KeepAliveCeiling.of(Duration.ofSeconds(120));
		assertThat(ceiling.inEffect(0)).isEqualTo(120);
		assertThat(ceiling.inEffect(600)).isEqualTo(120);
		assertThat(ceiling.inEffect(30)).isEqualTo(30);
		assertThat(ceiling.inEffect(120)).isEqualTo(120);
	}

	@Test
	void withoutACeilingEveryClientKeepsWhatItAsked() {
		assertThat(KeepAliveCeiling.of(null)).isSameAs(KeepAliveCeiling.NONE);
		assertThat(KeepAliveCeiling.NONE.inEffect(0)).isZero();
		assertThat(KeepAliveCeiling.NONE.inEffect(65535)).isEqualTo(65535);
	}

}
