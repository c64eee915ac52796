package dev.mqttboot.core;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

/**
 * A certificate a TLS endpoint presents: the one the broker's TLS listeners serve, or a client connection's own (mutual
 * TLS).
 *
 * @param subject the subject's distinguished name
 * @param issuer the issuer's distinguished name
 * @param notAfter when it expires
 */
public record TlsCertificate(String subject, String issuer, Instant notAfter) {

	/**
	 * Describe a certificate.
	 * @param certificate the certificate
	 * @return its description
	 */
	public static TlsCertificate of(X509Certificate certificate) {
		return new TlsCertificate(certificate.getSubjectX500Principal().getName(),
				certificate.getIssuerX500Principal().getName(), certificate.getNotAfter().toInstant());
	}

	/**
	 * What a health indicator shows of it.
	 * @return subject, issuer and not-after
	 */
	public Map<String, String> details() {
		return Map.of("subject", this.subject, "issuer", this.issuer, "notAfter", this.notAfter.toString());
	}

	@Override
	public String toString() {
		return "'" + this.subject + "' (issued by '" + this.issuer + "', valid until " + this.notAfter + ")";
	}

}
