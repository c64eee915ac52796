package dev.mqttboot.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.mqttboot.core.TlsCertificate;

/** The value of the certificate expiry gauges. */
final class Certificates {

	private Certificates() {
	}

	/** @return seconds until the certificate expires (negative once it has), or NaN when there is none */
	static double secondsLeft(Optional<TlsCertificate> certificate) {
		return certificate.map((served) -> (double) Duration.between(Instant.now(), served.notAfter()).toSeconds())
			.orElse(Double.NaN);
	}

}
