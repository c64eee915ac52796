package dev.mqttboot.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property tables (those headed "Property") list exactly the properties in the generated
 * configuration metadata.
 */
class ReadmePropertiesTests {

	private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(mqtt\\.[a-z0-9.\\-]+)` \\|", Pattern.MULTILINE);

	@Test
	void everyConfigurationPropertyIsDocumentedInTheReadmeAndNothingElse() throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		Set<String> documented = new TreeSet<>();
		boolean inPropertyTable = false;
		for (String line : readme.split("\n")) {
			if (!line.startsWith("|")) {
				inPropertyTable = false;
			}
			else if (line.startsWith("| Property |")) {
				inPropertyTable = true;
			}
			Matcher matcher = TABLE_ROW.matcher(line);
			if (inPropertyTable && matcher.find()) {
				documented.add(matcher.group(1));
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
	}

}
