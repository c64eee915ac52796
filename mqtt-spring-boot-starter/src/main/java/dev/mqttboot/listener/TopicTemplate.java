package dev.mqttboot.listener;

import dev.mqttboot.core.TopicLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mqttboot.core.TopicSyntax;

import org.jspecify.annotations.Nullable;

/**
 * A listener topic with optional variables: {@code sensors/{deviceId}/temperature} subscribes as
 * {@code sensors/+/temperature} and extracts {@code deviceId}; a last level {@code {*rest}} subscribes as {@code #}
 * and extracts the remaining levels. Plain filters (with {@code +} and {@code #}) work too.
 */
public final class TopicTemplate {


	private final String template;

	private final String filter;

	/** Variable name per level (null where the level is not a variable). */
	private final List<@Nullable String> variables;

	private final boolean trailingVariable;

	private final List<String> variableNames;

	private TopicTemplate(String template, String filter, List<@Nullable String> variables, boolean trailingVariable) {
		this.template = template;
		this.filter = filter;
		this.variables = variables;
		this.trailingVariable = trailingVariable;
		this.variableNames = variables.stream().filter((name) -> name != null).toList();
	}

	/**
	 * Parse a template.
	 * @param template the template
	 * @return the parsed template
	 * @throws IllegalArgumentException with what is wrong
	 */
	public static TopicTemplate parse(String template) {
		if (template == null || template.isEmpty()) {
			throw new IllegalArgumentException("topic is empty");
		}
		String[] levels = template.split("/", -1);
		List<@Nullable String> variables = new ArrayList<>();
		List<String> filterLevels = new ArrayList<>();
		boolean trailing = false;
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (level.startsWith("{") && level.endsWith("}")) {
				String name = level.substring(1, level.length() - 1);
				if (name.startsWith("*")) {
					if (i != levels.length - 1) {
						throw new IllegalArgumentException("'" + level + "' must be the last level of '" + template + "'");
					}
					name = name.substring(1);
					trailing = true;
					filterLevels.add("#");
				}
				else {
					filterLevels.add("+");
				}
				if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
					throw new IllegalArgumentException("'" + level + "' is not a valid topic variable in '" + template
							+ "'");
				}
				if (variables.contains(name)) {
					throw new IllegalArgumentException("variable '" + name + "' appears twice in '" + template + "'");
				}
				variables.add(name);
			}
			else if (level.contains("{") || level.contains("}")) {
				throw new IllegalArgumentException("a topic variable must be a whole level: '" + level + "' in '"
						+ template + "'");
			}
			else {
				variables.add(null);
				filterLevels.add(level);
			}
		}
		String filter = String.join("/", filterLevels);
		String problem = TopicSyntax.checkFilter(filter, TopicLimits.PROTOCOL);
		if (problem != null) {
			throw new IllegalArgumentException("'" + template + "' is not a valid topic filter: " + problem);
		}
		return new TopicTemplate(template, filter, variables, trailing);
	}

	/** @return the template as written */
	public String template() {
		return this.template;
	}

	/** @return the MQTT topic filter to subscribe to */
	public String filter() {
		return this.filter;
	}

	/** @return the variable names, in order */
	public List<String> variableNames() {
		return this.variableNames;
	}

	/**
	 * Whether a topic matches this template's filter.
	 * @param topic a topic name
	 * @return {@code true} on a match
	 */
	public boolean matches(String topic) {
		return TopicSyntax.matches(this.filter, topic);
	}

	/**
	 * The variables' values in a matching topic.
	 * @param topic a topic name that {@link #matches(String) matches}
	 * @return the values by variable name
	 */
	public Map<String, String> extract(String topic) {
		if (this.variableNames.isEmpty()) {
			return Collections.emptyMap();
		}
		String[] levels = topic.split("/", -1);
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < this.variables.size() && i < levels.length; i++) {
			@Nullable String name = this.variables.get(i);
			if (name == null) {
				continue;
			}
			boolean last = i == this.variables.size() - 1;
			values.put(name, (last && this.trailingVariable) ? String.join("/",
					java.util.Arrays.copyOfRange(levels, i, levels.length)) : levels[i]);
		}
		return values;
	}

	/**
	 * Fill a template's variables (used for {@code @SendTo} topics).
	 * @param template a topic with {@code {name}} placeholders
	 * @param values the values
	 * @return the topic
	 */
	public static String expand(String template, Map<String, String> values) {
		String result = template;
		for (Map.Entry<String, String> entry : values.entrySet()) {
			result = result.replace("{" + entry.getKey() + "}", entry.getValue())
				.replace("{*" + entry.getKey() + "}", entry.getValue());
		}
		return result;
	}

	@Override
	public String toString() {
		return this.template;
	}

}
