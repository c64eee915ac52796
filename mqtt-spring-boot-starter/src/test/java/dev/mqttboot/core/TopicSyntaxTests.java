package dev.mqttboot.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topic matching as MQTT 3.1.1 section 4.7 defines it, edge cases included; the same answers as the level-by-level
 * containment check used for access rules.
 */
class TopicSyntaxTests {

	@ParameterizedTest(name = "{0} matches {1}: {2}")
	@CsvSource({ "a/b/c, a/b/c, true", "a/b/c, a/b, false", "a/b, a/b/c, false", "a/+/c, a/b/c, true",
			"a/+/c, a//c, true", "a/+, a/, true", "a/+, a, false", "+, a, true", "+, a/b, false", "+/+, /a, true",
			"#, a/b/c, true", "#, /, true", "a/#, a, true", "a/#, a/b/c, true", "a/#, ab, false", "a/b/#, a/b, true",
			"a/b/#, a/bc, false", "+/#, a, true", "#, $SYS/x, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/x, true",
			"a, a/, false", "a/, a/, true", "a/b, a/c, false", "sport/tennis/+, sport/tennis/player1, true",
			"sport/+/player1, sport/tennis/player1/ranking, false", "/+, /finance, true", "+, /finance, false" })
	void matchesFollowsTheSpecification(String filter, String topic, boolean expected) {
		assertThat(TopicSyntax.matches(filter, topic)).isEqualTo(expected);
		assertThat(TopicSyntax.covers(filter, topic)).isEqualTo(expected);
	}

}
