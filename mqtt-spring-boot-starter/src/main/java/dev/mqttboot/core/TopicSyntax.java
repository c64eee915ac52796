package dev.mqttboot.core;

import org.jspecify.annotations.Nullable;

/**
 * MQTT 3.1.1 topic name and topic filter rules (section 4.7), plus our limits on depth and length. Every topic that
 * reaches the engine has passed through here first: Moquette 0.17 fails inside its session loop on some invalid
 * topics (an empty retained topic, a filter thousands of levels deep).
 */
public final class TopicSyntax {

	private TopicSyntax() {
	}

	/**
	 * Check a topic name as used in PUBLISH and in a will.
	 * @return what is wrong with it, or {@code null} when it is valid
	 */
	public static @Nullable String checkName(@Nullable String name, TopicLimits limits) {
		String common = checkCommon(name, limits);
		if (common != null || name == null) {
			return common;
		}
		if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
			return "topic name contains a wildcard";
		}
		return null;
	}

	/**
	 * Check a topic filter as used in SUBSCRIBE, UNSUBSCRIBE and access rules.
	 * @return what is wrong with it, or {@code null} when it is valid
	 */
	public static @Nullable String checkFilter(@Nullable String filter, TopicLimits limits) {
		String common = checkCommon(filter, limits);
		if (common != null || filter == null) {
			return common;
		}
		String[] levels = filter.split("/", -1);
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
				return "'#' must be the whole last level of a topic filter";
			}
			if (level.contains("+") && !level.equals("+")) {
				return "'+' must be a whole level of a topic filter";
			}
		}
		return null;
	}

	/**
	 * A valid topic name, or an {@link IllegalArgumentException} saying what is wrong with it.
	 * @param name the topic name
	 * @param limits the limits in effect
	 * @return the name
	 */
	public static String requireName(String name, TopicLimits limits) {
		String problem = checkName(name, limits);
		if (problem != null) {
			throw new IllegalArgumentException("Not a topic name (" + problem + "): '" + name + "'");
		}
		return name;
	}

	/**
	 * A valid topic filter, or an {@link IllegalArgumentException} saying what is wrong with it.
	 * @param filter the topic filter
	 * @param limits the limits in effect
	 * @return the filter
	 */
	public static String requireFilter(String filter, TopicLimits limits) {
		String problem = checkFilter(filter, limits);
		if (problem != null) {
			throw new IllegalArgumentException("Not a topic filter (" + problem + "): '" + filter + "'");
		}
		return filter;
	}

	private static @Nullable String checkCommon(@Nullable String topic, TopicLimits limits) {
		if (topic == null || topic.isEmpty()) {
			return "topic is empty";
		}
		if (topic.length() > limits.maxTopicLength()) {
			return "topic is longer than " + limits.maxTopicLength() + " characters";
		}
		if (topic.indexOf('\u0000') >= 0) {
			return "topic contains a NUL character";
		}
		if (levelCount(topic) > limits.maxTopicLevels()) {
			return "topic has more than " + limits.maxTopicLevels() + " levels";
		}
		return null;
	}

	private static int levelCount(String topic) {
		int count = 1;
		for (int i = 0; i < topic.length(); i++) {
			if (topic.charAt(i) == '/') {
				count++;
			}
		}
		return count;
	}

	/**
	 * Whether a topic name starts with {@code $} (such as {@code $SYS/...}): filters that start with a wildcard never
	 * match it [MQTT-4.7.2-1].
	 */
	public static boolean isDollarTopic(String topicName) {
		return !topicName.isEmpty() && topicName.charAt(0) == '$';
	}

	/** Whether a topic filter's first level is a wildcard ({@code #}, {@code +}). */
	public static boolean startsWithWildcard(String filter) {
		return !filter.isEmpty() && (filter.charAt(0) == '+' || filter.charAt(0) == '#');
	}

	/**
	 * Whether a topic name matches a topic filter. A filter starting with a wildcard does not match topics that
	 * start with {@code $}.
	 */
	public static boolean matches(String filter, String topicName) {
		// Level by level, without splitting: this runs for every received message and every subscription.
		if (isDollarTopic(topicName) && startsWithWildcard(filter)) {
			return false;
		}
		int f = 0;
		int t = 0;
		while (true) {
			int filterEnd = levelEnd(filter, f);
			int filterLength = filterEnd - f;
			if (filterLength == 1 && filter.charAt(f) == '#') {
				return true;
			}
			int topicEnd = levelEnd(topicName, t);
			boolean anyLevel = filterLength == 1 && filter.charAt(f) == '+';
			if (!anyLevel && (filterLength != topicEnd - t || !filter.regionMatches(f, topicName, t, filterLength))) {
				return false;
			}
			boolean filterDone = filterEnd == filter.length();
			boolean topicDone = topicEnd == topicName.length();
			if (filterDone || topicDone) {
				// "a/#" also matches "a".
				return (filterDone && topicDone) || (!filterDone && filter.length() - filterEnd == 2
						&& filter.charAt(filterEnd + 1) == '#');
			}
			f = filterEnd + 1;
			t = topicEnd + 1;
		}
	}

	private static int levelEnd(String topic, int start) {
		int slash = topic.indexOf('/', start);
		return (slash < 0) ? topic.length() : slash;
	}

	/**
	 * Whether every topic matched by {@code requested} is also matched by {@code granted}. For a plain topic name
	 * this is the usual match.
	 */
	public static boolean covers(String granted, String requested) {
		String[] grantedLevels = granted.split("/", -1);
		String[] requestedLevels = requested.split("/", -1);
		if (isDollarTopic(requested) && startsWithWildcard(granted)) {
			return false;
		}
		for (int i = 0; i < grantedLevels.length; i++) {
			String level = grantedLevels[i];
			if (level.equals("#")) {
				return true;
			}
			if (i >= requestedLevels.length) {
				return false;
			}
			String asked = requestedLevels[i];
			if (level.equals("+")) {
				if (asked.equals("#")) {
					return false;
				}
				continue;
			}
			if (!level.equals(asked)) {
				return false;
			}
		}
		return grantedLevels.length == requestedLevels.length;
	}

}
