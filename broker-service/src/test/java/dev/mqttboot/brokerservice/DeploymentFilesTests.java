package dev.mqttboot.brokerservice;

import dev.mqttboot.support.RequiredTool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files are checked by the real tools (no Docker engine needed): {@code docker-compose config} accepts
 * the compose file, {@code promtool check config} the Prometheus configuration, {@code promtool check rules} the
 * alert rules and {@code promtool test rules} their unit tests on synthetic series.
 */
class DeploymentFilesTests {

	@Test
	void dockerComposeAcceptsTheComposeFile() throws Exception {
		String output = run(RequiredTool.DOCKER_COMPOSE, "-f", "../docker-compose.yml", "config");
		assertThat(output).contains("broker-service/Dockerfile").contains("broker-data").contains("MQTT_CLIENT_URL");
		// Above broker-service's 20 s shutdown phase (spring.lifecycle.timeout-per-shutdown-phase).
		assertThat(output).contains("stop_grace_period: 30s");
		// The management port (actuator and console) is published, with a management password set.
		@SuppressWarnings("unchecked")
		Map<String, Object> broker = ((Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(output)
			.get("services")).get("broker");
		assertThat(String.valueOf(broker.get("ports"))).contains("8081");
		assertThat(String.valueOf(((Map<?, ?>) broker.get("environment")).get("SPRING_SECURITY_USER_PASSWORD")))
			.isNotBlank();
	}

	@Test
	void theClusterProfileAddsThreeArtemisNodesThatListEachOther() throws Exception {
		String output = run(RequiredTool.DOCKER_COMPOSE, "-f", "../docker-compose.yml", "--profile",
				"cluster", "config");
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) new Yaml()
			.<Map<String, Object>>load(output)
			.get("services");
		assertThat(services).containsKeys("broker", "node1", "node2", "node3");
		for (String node : List.of("node1", "node2", "node3")) {
			Map<?, ?> environment = (Map<?, ?>) services.get(node).get("environment");
			assertThat(environment.get("MQTT_ENGINE")).isEqualTo("artemis");
			assertThat(environment.get("MQTT_CLUSTER_ENABLED")).isEqualTo("true");
			assertThat(environment.get("MQTT_CLUSTER_ADVERTISED_HOST")).isEqualTo(node);
			assertThat(String.valueOf(environment.get("MQTT_CLUSTER_PASSWORD"))).isNotBlank();
			List<String> others = new java.util.ArrayList<>(List.of("node1", "node2", "node3"));
			others.remove(node);
			assertThat(String.valueOf(environment.get("MQTT_CLUSTER_MEMBERS")))
				.isEqualTo(others.get(0) + ":61616," + others.get(1) + ":61616");
			assertThat(services.get(node).get("profiles")).isEqualTo(List.of("cluster"));
		}
	}

	@Test
	void bothImagesBuildFromAContextWithoutBuildOutputOrDependencies() throws Exception {
		List<String> ignored = Files.readAllLines(Path.of("../.dockerignore"));
		assertThat(ignored).contains("**/target/", "**/node_modules/", ".git/");
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("docker build -f broker-service/Dockerfile");
		assertThat(Files.readString(Path.of("../demo-app/Dockerfile"))).contains("docker build -f demo-app/Dockerfile");
	}

	@Test
	void promtoolAcceptsTheAlertRules() throws Exception {
		String output = run(RequiredTool.PROMTOOL, "check", "rules", "../helm/broker-service/files/alerts.yml");
		assertThat(output).contains("SUCCESS: 7 rules found");
	}

	@Test
	void theAlertRulesPassTheirUnitTestsOnSyntheticSeries() throws Exception {
		String output = run(RequiredTool.PROMTOOL, "test", "rules", "../prometheus/alerts-test.yml");
		assertThat(output).contains("SUCCESS");
	}

	@Test
	void promtoolAcceptsThePrometheusConfiguration() throws Exception {
		String output = run(RequiredTool.PROMTOOL, "check", "config", "../prometheus/prometheus.yml");
		assertThat(output).contains("SUCCESS").contains("1 rule files found");
	}

	private static String run(RequiredTool tool, String... args) throws Exception {
		tool.assume();
		List<String> command = new java.util.ArrayList<>(List.of(tool.path()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
