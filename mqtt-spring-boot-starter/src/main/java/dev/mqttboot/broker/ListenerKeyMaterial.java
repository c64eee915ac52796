package dev.mqttboot.broker;

import java.util.Optional;
import java.util.function.Consumer;

import dev.mqttboot.core.KeyMaterial;
import dev.mqttboot.core.TlsCertificate;

import org.springframework.boot.ssl.SslBundle;

import org.jspecify.annotations.Nullable;

/**
 * The key material of a broker's TLS listeners (MQTT over TLS and secure WebSocket): the bundle they serve now and its
 * certificate, checked before it is served, at start and at each update. Both engines keep one and only say how
 * they hand a bundle to their listeners.
 */
public final class ListenerKeyMaterial {

	private final boolean enabled;

	private volatile @Nullable SslBundle bundle;

	private volatile @Nullable TlsCertificate certificate;

	/** @param settings the broker settings: their TLS ports and bundle */
	public ListenerKeyMaterial(BrokerSettings settings) {
		this.enabled = settings.sslPort() != BrokerPorts.DISABLED
				|| settings.sslWebsocketPort() != BrokerPorts.DISABLED;
		this.bundle = settings.sslBundle();
	}

	/** @return whether a TLS listener is configured */
	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * The bundle to serve as the broker starts: the configured one, or the latest update of it.
	 * @return the bundle, checked
	 * @throws BrokerStartException naming {@code mqtt.broker.ssl.bundle} when it cannot be served
	 */
	public SslBundle atStart() {
		SslBundle served = this.bundle;
		if (served == null) {
			throw new IllegalStateException("No TLS listener is configured");
		}
		try {
			this.certificate = KeyMaterial.check(served);
		}
		catch (IllegalArgumentException ex) {
			throw BrokerStartException.unusableSslBundle(ex);
		}
		return served;
	}

	/** @return the certificate served, or empty without TLS (or before the first start) */
	public Optional<TlsCertificate> served() {
		return this.enabled ? Optional.ofNullable(this.certificate) : Optional.empty();
	}

	/**
	 * Check new key material and hand it to the engine's listeners; it is the served one once the engine took it.
	 * @param next the new bundle
	 * @param listeners gives it to the listeners (not called while the broker is not running), or throws
	 * @throws IllegalStateException without TLS listeners
	 * @throws IllegalArgumentException when the bundle cannot be served (nothing changes)
	 */
	public synchronized void update(SslBundle next, Consumer<SslBundle> listeners) {
		if (!this.enabled) {
			throw new IllegalStateException("No TLS listener is enabled");
		}
		TlsCertificate checked = KeyMaterial.check(next);
		listeners.accept(next);
		this.bundle = next;
		this.certificate = checked;
	}

}
