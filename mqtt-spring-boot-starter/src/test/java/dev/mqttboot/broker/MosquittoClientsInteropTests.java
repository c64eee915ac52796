package dev.mqttboot.broker;

import dev.mqttboot.support.RequiredTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Third-party clients from Debian's mosquitto-clients against the embedded broker. Skipped (with a message) where
 * they are not installed; CI installs them.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class MosquittoClientsInteropTests {

	@Parameter
	BrokerEngine engine;

	private static TestBroker broker;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		RequiredTool.MOSQUITTO_CLIENTS.assume();
		broker = TestBroker.start(engine, "mqtt.broker.allow-anonymous=false", "mqtt.broker.users[0].name=device",
				"mqtt.broker.users[0].password={noop}device-secret");
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void mosquittoPubReachesAPahoSubscriberAtEachQos() throws Exception {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials("device", "device-secret");
		try (MqttTestClient subscriber = MqttTestClient.connect(broker.tcpUrl(), "paho-listener", options)) {
			subscriber.subscribe("interop/#", 2);
			for (int qos = 0; qos <= 2; qos++) {
				Result result = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
						"-u", "device", "-P", "device-secret", "-q", String.valueOf(qos), "-t", "interop/qos" + qos,
						"-m", "from mosquitto_pub at qos " + qos);
				assertThat(result.exitCode()).as(result.output()).isZero();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.received().size() >= 3);
			// Three processes, three connections: MQTT orders messages per connection only.
			assertThat(subscriber.received()).extracting(MqttTestClient.Received::text, MqttTestClient.Received::qos)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("from mosquitto_pub at qos 0", 0),
						org.assertj.core.groups.Tuple.tuple("from mosquitto_pub at qos 1", 1),
						org.assertj.core.groups.Tuple.tuple("from mosquitto_pub at qos 2", 2));
		}
	}

	@Test
	void mosquittoSubReceivesRetainedAndLiveMessages() throws Exception {
		try (MqttTestClient publisher = MqttTestClient.connect(broker.tcpUrl(), "paho-publisher", credentials())) {
			publisher.publish("interop-sub/status", "retained-hello", 1, true);
			Result result = run("/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "-u",
					"device", "-P", "device-secret", "-q", "1", "-t", "interop-sub/#", "-C", "1", "-W", "10", "-v");
			assertThat(result.exitCode()).as(result.output()).isZero();
			assertThat(result.output().strip()).isEqualTo("interop-sub/status retained-hello");
		}
	}

	@Test
	void mosquittoPubWithAWrongPasswordIsRefused() throws Exception {
		Result result = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "-u",
				"device", "-P", "wrong", "-t", "interop/denied", "-m", "x");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).containsIgnoringCase("bad user name or password");
	}

	private static MqttTestOptions credentials() {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials("device", "device-secret");
		return options;
	}

	private static Result run(String... command) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>(List.of(command));
		Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(args.get(0) + " did not finish in 30 s");
		}
		return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

}
