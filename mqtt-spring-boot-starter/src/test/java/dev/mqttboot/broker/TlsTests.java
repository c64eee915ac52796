package dev.mqttboot.broker;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * TLS and secure WebSocket listeners built from Spring Boot SSL bundles (PEM and PKCS12), checked by a client that
 * verifies the server certificate.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class TlsTests {

	@Parameter
	BrokerEngine engine;

	private static final String[] PEM_BUNDLE = { "spring.ssl.bundle.pem.broker.keystore.certificate=classpath:tls/server.pem",
			"spring.ssl.bundle.pem.broker.keystore.private-key=classpath:tls/server.key",
			"mqtt.broker.ssl.bundle=broker" };

	private static final String[] PKCS12_BUNDLE = {
			"spring.ssl.bundle.jks.broker.keystore.location=classpath:tls/server.p12",
			"spring.ssl.bundle.jks.broker.keystore.password=changeit",
			"spring.ssl.bundle.jks.broker.keystore.type=PKCS12", "mqtt.broker.ssl.bundle=broker" };

	@ParameterizedTest(name = "{0} bundle")
	@ValueSource(strings = { "pem", "pkcs12" })
	void messagesFlowOverTlsAndSecureWebSocket(String bundleType) throws Exception {
		String[] bundle = bundleType.equals("pem") ? PEM_BUNDLE : PKCS12_BUNDLE;
		try (TestBroker broker = TestBroker
			.start(this.engine, TestBroker.concat(bundle, "mqtt.broker.ssl.port=0", "mqtt.broker.ssl.websocket-port=0"))) {
			BrokerPorts ports = broker.broker().ports();
			SSLSocketFactory trustingTestCa = socketFactoryTrusting("tls/ca.pem");
			String sslUrl = "ssl://127.0.0.1:" + ports.mqttSsl();
			String wssUrl = "wss://127.0.0.1:" + ports.websocketSsl() + "/mqtt";
			try (MqttTestClient subscriber = MqttTestClient.connect(sslUrl, "tls-sub", new MqttTestOptions().socketFactory(trustingTestCa));
					MqttTestClient publisher = MqttTestClient.connect(wssUrl, "wss-pub", new MqttTestOptions().socketFactory(trustingTestCa))) {
				subscriber.subscribe("secure/#", 1);
				publisher.publish("secure/reading", "encrypted", 1, false);
				await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
				assertThat(subscriber.payloads()).containsExactly("encrypted");
			}
		}
	}

	@ParameterizedTest(name = "{0} bundle")
	@ValueSource(strings = { "pem" })
	void aClientThatDoesNotTrustTheServerCertificateCannotConnect(String bundleType) throws Exception {
		try (TestBroker broker = TestBroker.start(this.engine, TestBroker.concat(PEM_BUNDLE, "mqtt.broker.ssl.port=0"))) {
			String sslUrl = "ssl://127.0.0.1:" + broker.broker().ports().mqttSsl();
			SSLSocketFactory trustingOtherCa = socketFactoryTrusting("tls/other-ca.pem");
			assertThatIllegalStateException()
				.isThrownBy(() -> MqttTestClient.connect(sslUrl, "untrusting", new MqttTestOptions().socketFactory(trustingOtherCa)))
				.satisfies((ex) -> assertThat(ex).hasStackTraceContaining("PKIX path"));
		}
	}

	@ParameterizedTest(name = "client trusting {0}")
	@ValueSource(strings = { "ca.pem", "other-ca.pem" })
	void theClientConnectionChecksTheBrokerCertificateAgainstItsSslBundle(String trusted) throws Exception {
		try (TestBroker broker = TestBroker.start(this.engine, TestBroker.concat(PEM_BUNDLE, "mqtt.broker.ssl.port=0"));
				TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=ssl://localhost:" + broker.broker().ports().mqttSsl(),
						"spring.ssl.bundle.pem.trust.truststore.certificate=classpath:tls/" + trusted,
						"mqtt.client.ssl.bundle=trust")) {
			dev.mqttboot.client.MqttConnection connection = app.bean(dev.mqttboot.client.MqttConnections.class)
				.get("default");
			if (trusted.equals("ca.pem")) {
				await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
				try (MqttTestClient subscriber = MqttTestClient.connect("ssl://127.0.0.1:" + broker.broker().ports().mqttSsl(),
						"tls-watch", new MqttTestOptions().socketFactory(socketFactoryTrusting("tls/ca.pem")))) {
					subscriber.subscribe("tls/#", 1);
					app.bean(dev.mqttboot.client.MqttOperations.class).publish("tls/x", "secret").get();
					await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.received().isEmpty());
				}
			}
			else {
				await().atMost(Duration.ofSeconds(10)).until(() -> connection.lastDisconnect().isPresent());
				assertThat(connection.isConnected()).isFalse();
				assertThat(connection.lastDisconnect().get().cause()).hasStackTraceContaining("PKIX");
			}
		}
	}

	@ParameterizedTest(name = "client-auth {0}")
	@ValueSource(strings = { "need", "want" })
	void clientCertificatesAreCheckedAgainstTheBrokersTrustStore(String clientAuth) throws Exception {
		try (TestBroker broker = TestBroker.start(this.engine, TestBroker.concat(PEM_BUNDLE,
				"spring.ssl.bundle.pem.broker.truststore.certificate=classpath:tls/client-ca.pem",
				"mqtt.broker.ssl.client-auth=" + clientAuth, "mqtt.broker.ssl.port=0"));
				TestBroker app = TestBroker.startWithClients("mqtt.broker.enabled=false",
						"mqtt.client.url=ssl://localhost:" + broker.broker().ports().mqttSsl(),
						"spring.ssl.bundle.pem.device.keystore.certificate=classpath:tls/client.pem",
						"spring.ssl.bundle.pem.device.keystore.private-key=classpath:tls/client.key",
						"spring.ssl.bundle.pem.device.truststore.certificate=classpath:tls/ca.pem",
						"mqtt.client.ssl.bundle=device")) {
			// The starter's client presents the certificate of its bundle's key store.
			dev.mqttboot.client.MqttConnection connection = app.bean(dev.mqttboot.client.MqttConnections.class)
				.get("default");
			await().atMost(Duration.ofSeconds(10)).until(connection::isConnected);
			String sslUrl = "ssl://127.0.0.1:" + broker.broker().ports().mqttSsl();
			if (clientAuth.equals("need")) {
				// With TLS 1.3 the client learns of the refusal after its side of the handshake: don't wait 10 s.
				MqttTestOptions options = new MqttTestOptions().socketFactory(socketFactoryTrusting("tls/ca.pem"));
				options.connectionTimeout(Duration.ofSeconds(3));
				assertThatIllegalStateException()
					.isThrownBy(() -> MqttTestClient.connect(sslUrl, "no-certificate", options));
			}
			else {
				try (MqttTestClient anonymous = MqttTestClient.connect(sslUrl, "no-certificate",
						new MqttTestOptions().socketFactory(socketFactoryTrusting("tls/ca.pem")))) {
					assertThat(anonymous.isConnected()).isTrue();
				}
			}
		}
	}

	static SSLSocketFactory socketFactoryTrusting(String caResource) throws Exception {
		KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
		trustStore.load(null, null);
		try (InputStream in = TlsTests.class.getClassLoader().getResourceAsStream(caResource)) {
			X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
			trustStore.setCertificateEntry("ca", ca);
		}
		TrustManagerFactory trustManagers = TrustManagerFactory
			.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context.getSocketFactory();
	}

}
