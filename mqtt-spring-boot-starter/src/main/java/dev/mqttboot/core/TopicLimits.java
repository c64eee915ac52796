package dev.mqttboot.core;

/**
 * Limits on topic names and filters beyond MQTT's own syntax.
 *
 * @param maxTopicLevels the most levels a topic name or filter may have
 * @param maxTopicLength the longest topic name or filter, in UTF-16 characters
 */
public record TopicLimits(int maxTopicLevels, int maxTopicLength) {

	/** Only what MQTT itself imposes (a topic is at most 65,535 bytes): for checks outside the broker. */
	public static final TopicLimits PROTOCOL = new TopicLimits(Integer.MAX_VALUE, 65535);

}
