package dev.mqttboot.autoconfigure;

import dev.mqttboot.broker.MqttBroker;
import dev.mqttboot.core.TlsCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import org.jspecify.annotations.Nullable;

/**
 * Hands each reload of the broker's SSL bundle ({@code mqtt.broker.ssl.bundle} with
 * {@code spring.ssl.bundle.*.reload-on-update=true}) to the embedded broker, so its TLS listeners serve a renewed
 * certificate without a restart. New key material that cannot be served (no key, a key that does not belong to its
 * certificate, an engine that refuses it) is logged and left aside: the listeners keep the last good material. Files
 * that cannot be read at all never get here: Spring Boot logs that ("Unexpected SSL reload error") and keeps the
 * bundle it had.
 */
final class BrokerKeyMaterialUpdates {

	private static final Logger logger = LoggerFactory.getLogger(BrokerKeyMaterialUpdates.class);

	private final MqttBroker broker;

	private final @Nullable String bundleName;

	/**
	 * @param broker the embedded broker
	 * @param sslBundles the application's bundles
	 * @param properties the broker's TLS settings: the bundle is followed when a TLS listener is configured
	 */
	BrokerKeyMaterialUpdates(MqttBroker broker, SslBundles sslBundles, MqttProperties.Broker properties) {
		this.broker = broker;
		this.bundleName = properties.getSsl().getBundle();
		boolean tls = properties.getSsl().getPort() != null || properties.getSsl().getWebsocketPort() != null;
		if (tls && this.bundleName != null) {
			try {
				sslBundles.addBundleUpdateHandler(this.bundleName, this::updated);
			}
			catch (NoSuchSslBundleException ex) {
				// Only a TLS listener needs the bundle; without one, nothing to update (and with one, the broker's
				// start fails naming the property).
			}
		}
	}

	void updated(SslBundle bundle) {
		String now = this.broker.servedCertificate().map(TlsCertificate::toString).orElse("what they served");
		try {
			// Checked there first (a key that does not belong to its certificate is refused).
			this.broker.updateKeyMaterial(bundle);
		}
		catch (RuntimeException ex) {
			logger.error("The SSL bundle '{}' (mqtt.broker.ssl.bundle) was reloaded but cannot be served: {}; the "
					+ "broker's TLS listeners keep serving {}", this.bundleName, ex.getMessage(), now);
			return;
		}
		logger.info("The broker's TLS listeners now serve {} from the reloaded SSL bundle '{}'",
				this.broker.servedCertificate().orElse(null), this.bundleName);
	}

}
