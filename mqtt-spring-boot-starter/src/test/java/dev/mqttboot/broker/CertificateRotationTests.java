package dev.mqttboot.broker;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import dev.mqttboot.metrics.BrokerMetrics;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import dev.mqttboot.support.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The broker's TLS listeners follow their SSL bundle when its files are replaced (a certificate renewal), without a
 * restart: new connections on both TLS ports get the new certificate, open connections stay and keep working, health
 * and the expiry gauge show what is served; a rotation to files that cannot be served leaves the last good
 * certificate in place.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
@ExtendWith(OutputCaptureExtension.class)
class CertificateRotationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Parameter
	BrokerEngine engine;

	@TempDir
	Path directory;

	private TestCertificates ca;

	private Path certificateFile;

	private Path keyFile;

	@BeforeEach
	void issueTheFirstCertificate() throws Exception {
		this.ca = TestCertificates.authority(this.directory, "rotation-ca");
		Path live = Files.createDirectories(this.directory.resolve("live"));
		this.certificateFile = live.resolve("tls.crt");
		this.keyFile = live.resolve("tls.key");
		this.ca.issue("broker-one", 365).installAs(this.certificateFile, this.keyFile);
	}

	@Test
	void newConnectionsGetTheRenewedCertificateAndOpenOnesStay() throws Exception {
		try (TestBroker broker = startBroker()) {
			BrokerPorts ports = broker.broker().ports();
			MeterRegistry meters = new SimpleMeterRegistry();
			broker.context().getBean(BrokerMetrics.class).bindTo(meters);
			assertThat(servedSubject(ports.mqttSsl())).isEqualTo("CN=broker-one");
			assertThat(expiryDays(meters)).isCloseTo(365, within(1.0));
			try (MqttTestClient open = MqttTestClient.connect("ssl://127.0.0.1:" + ports.mqttSsl(), "rotation-open",
					new MqttTestOptions().socketFactory(trustingTheCa()))) {
				open.subscribe("rotation/#", 1);

				this.ca.issue("broker-two", 30).installAs(this.certificateFile, this.keyFile);
				await().atMost(WAIT).until(() -> "CN=broker-two".equals(servedSubject(ports.mqttSsl())));
				assertThat(servedSubject(ports.websocketSsl())).isEqualTo("CN=broker-two");
				assertThat(broker.broker().servedCertificate()).hasValueSatisfying(
						(certificate) -> assertThat(certificate.subject()).isEqualTo("CN=broker-two"));
				assertThat(expiryDays(meters)).isCloseTo(30, within(1.0));

				try (MqttTestClient renewed = MqttTestClient.connect("wss://127.0.0.1:" + ports.websocketSsl() + "/mqtt",
						"rotation-new", new MqttTestOptions().socketFactory(trustingTheCa()))) {
					renewed.publish("rotation/after", "after the renewal", 1, false);
				}
				await().atMost(WAIT).until(() -> open.payloads().contains("after the renewal"));
				assertThat(open.isConnected()).isTrue();
			}
		}
	}

	@Test
	void aRotationThatCannotBeServedKeepsTheLastGoodCertificate(CapturedOutput output) throws Exception {
		try (TestBroker broker = startBroker()) {
			int port = broker.broker().ports().mqttSsl();
			TestCertificates.Issued two = this.ca.issue("broker-two", 30);
			TestCertificates.Issued one = this.ca.issue("broker-one-again", 365);
			// A certificate with a key that is not its own: Spring Boot loads it, the broker refuses to serve it.
			TestCertificates.replace(one.key(), this.keyFile);
			TestCertificates.replace(two.certificate(), this.certificateFile);
			await().atMost(WAIT).until(() -> output.getOut().contains("was reloaded but cannot be served"));
			assertThat(output.getOut()).contains("does not belong to its certificate");
			assertThat(servedSubject(port)).isEqualTo("CN=broker-one");
			// A key file that is not PEM: Spring Boot cannot load the bundle, and keeps the one it had.
			Files.writeString(this.keyFile, "not a key");
			await().atMost(WAIT).until(() -> output.getOut().contains("Unexpected SSL reload error"));
			assertThat(servedSubject(port)).isEqualTo("CN=broker-one");

			this.ca.issue("broker-three", 90).installAs(this.certificateFile, this.keyFile);
			await().atMost(WAIT).until(() -> "CN=broker-three".equals(servedSubject(port)));
		}
	}

	@Test
	void aKubernetesSecretVolumeRenewalIsFollowed() throws Exception {
		// A Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>; the kubelet writes a renewal into a
		// new timestamped directory and swaps the ..data link at once.
		Path volume = Files.createDirectories(this.directory.resolve("secret-volume"));
		Path first = Files.createDirectories(volume.resolve("..2026_12_07_first"));
		TestCertificates.Issued one = this.ca.issue("broker-k8s-one", 365);
		Files.copy(one.certificate(), first.resolve("tls.crt"));
		Files.copy(one.key(), first.resolve("tls.key"));
		Files.createSymbolicLink(volume.resolve("..data"), first.getFileName());
		Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
		Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
		this.certificateFile = volume.resolve("tls.crt");
		this.keyFile = volume.resolve("tls.key");
		try (TestBroker broker = startBroker()) {
			int port = broker.broker().ports().mqttSsl();
			assertThat(servedSubject(port)).isEqualTo("CN=broker-k8s-one");
			Path second = Files.createDirectories(volume.resolve("..2026_12_08_second"));
			TestCertificates.Issued two = this.ca.issue("broker-k8s-two", 30);
			Files.copy(two.certificate(), second.resolve("tls.crt"));
			Files.copy(two.key(), second.resolve("tls.key"));
			Files.createSymbolicLink(volume.resolve("..data_tmp"), second.getFileName());
			Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"), StandardCopyOption.REPLACE_EXISTING,
					StandardCopyOption.ATOMIC_MOVE);
			await().atMost(WAIT).until(() -> "CN=broker-k8s-two".equals(servedSubject(port)));
		}
	}

	private TestBroker startBroker() {
		return TestBroker.start(this.engine, "mqtt.broker.ssl.port=0", "mqtt.broker.ssl.websocket-port=0",
				"mqtt.broker.ssl.bundle=broker",
				"spring.ssl.bundle.pem.broker.keystore.certificate=" + this.certificateFile.toUri(),
				"spring.ssl.bundle.pem.broker.keystore.private-key=" + this.keyFile.toUri(),
				"spring.ssl.bundle.pem.broker.reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=200ms");
	}

	/** The subject of the certificate a new TLS connection to the port is served, or the handshake's failure. */
	private String servedSubject(int port) throws Exception {
		try (SSLSocket socket = (SSLSocket) trustingTheCa().createSocket("127.0.0.1", port)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
				.getName();
		}
	}

	private SSLSocketFactory trustingTheCa() throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		try (InputStream in = Files.newInputStream(this.ca.certificate())) {
			trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context.getSocketFactory();
	}

	private static double expiryDays(MeterRegistry meters) {
		return meters.get("mqtt.broker.tls.certificate.expiry").gauge().value() / 86_400;
	}

}
