package dev.mqttboot.packaging;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.mqttboot.autoconfigure.MqttBrokerAutoConfiguration;
import dev.mqttboot.autoconfigure.MqttClientAutoConfiguration;
import dev.mqttboot.autoconfigure.MqttListenerAutoConfiguration;
import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.client.MqttConnections;
import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter alone is client-only: the embedded broker's engines (Moquette with H2 MVStore, Artemis, and Spring
 * Security crypto for both) are optional dependencies, added with {@code mqtt-spring-boot-starter-moquette} or
 * {@code -artemis}.
 */
class ClientOnlyPackagingTests {

	/** Jars of the embedded broker's engines that a client-only application does not carry. */
	private static final List<String> BROKER_JARS = List.of("moquette-broker-", "h2-mvstore-",
			"spring-security-crypto-", "artemis-");

	@TempDir
	Path directory;

	@Test
	void withoutMoquetteTheClientsAndListenersAreConfiguredAndNoBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MqttBrokerAutoConfiguration.class,
					MqttClientAutoConfiguration.class, MqttListenerAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.moquette", "org.h2.mvstore",
					"org.springframework.security.crypto", "org.apache.activemq"))
			.withPropertyValues("mqtt.client.url=tcp://127.0.0.1:1")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MqttBroker.class)
				.hasSingleBean(MqttConnections.class)
				.hasSingleBean(MqttOperations.class));
	}

	@Test
	void aClientOnlyApplicationStartsAndPublishesInAJvmWithoutTheBrokersJars() throws Exception {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> entries = Arrays.asList(classPath.split(File.pathSeparator));
		List<String> clientOnly = entries.stream()
			.filter((entry) -> BROKER_JARS.stream().noneMatch(new File(entry).getName()::startsWith))
			.toList();
		assertThat(entries).as("the broker jars are on this class path")
			.allSatisfy((entry) -> assertThat(entry).isNotNull())
			.anyMatch((entry) -> new File(entry).getName().startsWith("moquette-broker-"))
			.anyMatch((entry) -> new File(entry).getName().startsWith("artemis-server-"));
		try (TestBroker broker = TestBroker.start();
				MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), "packaging-watcher")) {
			watcher.subscribe("packaging/#", 1);
			Path log = this.directory.resolve("client-only.log");
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", clientOnly.stream().collect(Collectors.joining(File.pathSeparator)),
					ClientOnlyApp.class.getName(), broker.tcpUrl())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			boolean exited = process.waitFor(120, TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly();
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertThat(exited).as(output).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(watcher.payloads()).containsExactly("from a client-only app"));
		}
	}

}
