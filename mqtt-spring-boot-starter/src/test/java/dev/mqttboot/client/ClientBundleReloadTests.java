package dev.mqttboot.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.mqttboot.metrics.ClientMetrics;
import dev.mqttboot.support.FreePorts;
import dev.mqttboot.support.TestBroker;
import dev.mqttboot.support.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A client connection takes its trust and key material from its SSL bundle at every connect: a broker certificate
 * that only the reloaded trust store accepts stops being a dead end, and the expiry gauge follows the certificate the
 * connection presents.
 */
class ClientBundleReloadTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aReloadedTrustStoreLetsTheReconnectLoopThroughAndTheNewClientKeyIsPresented() throws Exception {
		TestCertificates newCa = TestCertificates.authority(this.directory, "new-ca");
		TestCertificates oldCa = TestCertificates.authority(this.directory, "old-ca");
		TestCertificates.Issued server = newCa.issue("broker", 365);
		TestCertificates.Issued firstClientKey = oldCa.issue("device-old", 10);
		Path trust = this.directory.resolve("client-trust.pem");
		Path clientCertificate = this.directory.resolve("client.crt");
		Path clientKey = this.directory.resolve("client.key");
		TestCertificates.replace(oldCa.certificate(), trust);
		firstClientKey.installAs(clientCertificate, clientKey);
		int port = FreePorts.loopback();
		try (TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=true", "mqtt.broker.ssl.port=" + port,
				"mqtt.broker.ssl.bundle=server",
				"spring.ssl.bundle.pem.server.keystore.certificate=" + server.certificate().toUri(),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + server.key().toUri(),
				"mqtt.client.url=ssl://127.0.0.1:" + port, "mqtt.client.ssl.bundle=client",
				"mqtt.client.reconnect.initial-delay=200ms", "mqtt.client.reconnect.max-delay=1s",
				"spring.ssl.bundle.pem.client.truststore.certificate=" + trust.toUri(),
				"spring.ssl.bundle.pem.client.keystore.certificate=" + clientCertificate.toUri(),
				"spring.ssl.bundle.pem.client.keystore.private-key=" + clientKey.toUri(),
				"spring.ssl.bundle.pem.client.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=200ms")) {
			MqttConnection connection = app.bean(MqttConnections.class).get(MqttConnections.DEFAULT);
			MeterRegistry meters = new SimpleMeterRegistry();
			app.bean(ClientMetrics.class).bindTo(meters);
			assertThat(expiryDays(meters)).isCloseTo(10, within(1.0));
			// Trusting only the old CA, the connection cannot get through: it keeps trying.
			await().atMost(WAIT).until(() -> connection.lastDisconnect().isPresent());
			assertThat(connection.isConnected()).isFalse();

			TestCertificates.replace(newCa.certificate(), trust);
			newCa.issue("device-new", 90).installAs(clientCertificate, clientKey);
			await().atMost(WAIT).until(connection::isConnected);
			assertThat(connection.presentedCertificate()).hasValueSatisfying(
					(certificate) -> assertThat(certificate.subject()).isEqualTo("CN=device-new"));
			assertThat(expiryDays(meters)).isCloseTo(90, within(1.0));
			connection.publish("reload/check", "through".getBytes(java.nio.charset.StandardCharsets.UTF_8), PublishOptions.qos(1)).get(10, TimeUnit.SECONDS);
		}
	}

	private static double expiryDays(MeterRegistry meters) {
		return meters.get("mqtt.client.tls.certificate.expiry").tag("client", "default").gauge().value() / 86_400;
	}

}
