package dev.mqttboot.brokerservice;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment files are checked by the real tools (no Docker engine needed): {@code docker-compose config} accepts
 * the compose file and {@code promtool check config} the Prometheus configuration.
 */
class DeploymentFilesTests {

	@Test
	void dockerComposeAcceptsTheComposeFile() throws Exception {
		String output = run("/usr/bin/docker-compose", "docker-compose", "-f", "../docker-compose.yml", "config");
		assertThat(output).contains("broker-service/Dockerfile").contains("broker-data").contains("MQTT_CLIENT_URL");
	}

	@Test
	void promtoolAcceptsThePrometheusConfiguration() throws Exception {
		String output = run("/usr/bin/promtool", "prometheus", "check", "config", "../prometheus/prometheus.yml");
		assertThat(output).contains("SUCCESS");
	}

	private static String run(String binary, String debianPackage, String... args) throws Exception {
		boolean installed = new File(binary).canExecute();
		if ("true".equals(System.getenv("CI"))) {
			assertThat(installed).as("CI installs " + debianPackage + " (see .ci/run)").isTrue();
		}
		assumeTrue(installed, binary + " not installed (apt-get install " + debianPackage + "); skipping");
		List<String> command = new java.util.ArrayList<>(List.of(binary));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
