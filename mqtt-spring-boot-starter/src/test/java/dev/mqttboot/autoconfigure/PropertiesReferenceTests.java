package dev.mqttboot.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties reference ({@code docs/properties.md}, its tables headed "Property") lists exactly the properties in
 * the generated configuration metadata, with the same defaults; the metadata has the defaults, value hints and the
 * health property an IDE shows.
 */
class PropertiesReferenceTests {

	private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(mqtt\\.[a-z0-9.\\-]+)` \\| ([^|]*) \\|",
			Pattern.MULTILINE);

	@Test
	void everyConfigurationPropertyIsInTheReferenceAndNothingElse() throws Exception {
		String reference = Files.readString(Path.of("..", "docs", "properties.md"));
		Set<String> documented = new TreeSet<>();
		java.util.Map<String, String> documentedDefaults = new java.util.TreeMap<>();
		boolean inPropertyTable = false;
		for (String line : reference.split("\n")) {
			if (!line.startsWith("|")) {
				inPropertyTable = false;
			}
			else if (line.startsWith("| Property |")) {
				inPropertyTable = true;
			}
			Matcher matcher = TABLE_ROW.matcher(line);
			if (inPropertyTable && matcher.find()) {
				documented.add(matcher.group(1));
				String shown = matcher.group(2).strip().replace("`", "");
				documentedDefaults.put(matcher.group(1), shown.equals("(empty)") ? "" : shown);
			}
		}
		Set<String> generated;
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			java.util.List<String> names = JsonPath.read(metadata, "$.properties[*].name");
			// management.endpoint.mqtt.* come from Spring Boot's endpoint support and are documented there.
			generated = new TreeSet<>(names.stream().filter((name) -> name.startsWith("mqtt.")).toList());
		}
		assertThat(generated).isNotEmpty();
		assertThat(documented).isEqualTo(generated);
		java.util.Map<String, String> defaults = new java.util.TreeMap<>();
		for (java.util.Map<String, Object> property : metadata("$.properties[*]")) {
			String name = (String) property.get("name");
			if (name.startsWith("mqtt.") && property.get("defaultValue") != null) {
				defaults.put(name, String.valueOf(property.get("defaultValue")));
			}
		}
		assertThat(defaults).hasSizeGreaterThanOrEqualTo(39);
		defaults.forEach((name, value) -> assertThat(documentedDefaults.get(name)).as("documented default of %s", name)
			.isEqualTo(value));
	}

	@Test
	void theMetadataHasValueHintsForClosedSetsAndDeclaresTheHealthProperty() throws Exception {
		List<String> hinted = metadataNames("$.hints[*].name");
		assertThat(hinted).contains("mqtt.client.protocol-version", "mqtt.client.default-qos", "mqtt.client.will.qos");
		List<String> properties = metadataNames("$.properties[*].name");
		assertThat(properties).contains("management.health.mqtt.enabled", "management.endpoint.mqtt.show-values");
	}

	private List<java.util.Map<String, Object>> metadata(String path) throws Exception {
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonPath.read(metadata, path);
		}
	}

	private List<String> metadataNames(String path) throws Exception {
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonPath.read(metadata, path);
		}
	}

}
