package dev.mqttboot.core;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;

import org.springframework.boot.ssl.SslBundle;

/**
 * Checks the key material of an SSL bundle before it is served: it must hold a private key (under the bundle's key
 * alias when one is set) whose certificate is an X.509 certificate for that very key. Spring Boot builds a bundle
 * from a key and a certificate that do not belong together without complaint (unless {@code verify-keys} is set);
 * served, every TLS handshake would fail.
 */
public final class KeyMaterial {

	private static final byte[] PROBE = new byte[32];

	static {
		new SecureRandom().nextBytes(PROBE);
	}

	private KeyMaterial() {
	}

	/**
	 * Check a bundle that must present a certificate (a server's, or a client's for mutual TLS).
	 * @param bundle the bundle
	 * @return the certificate it presents
	 * @throws IllegalArgumentException saying what is wrong
	 */
	public static TlsCertificate check(SslBundle bundle) {
		return presented(bundle).orElseThrow(() -> new IllegalArgumentException("it holds no private key"
				+ ((bundle.getKey().getAlias() != null) ? " with alias '" + bundle.getKey().getAlias() + "'" : "")));
	}

	/**
	 * The certificate a bundle presents, if it holds a key (a client bundle may hold only trust material).
	 * @param bundle the bundle
	 * @return the certificate, or empty when the bundle holds no private key
	 * @throws IllegalArgumentException when the key cannot be read or does not belong to its certificate
	 */
	public static Optional<TlsCertificate> presented(SslBundle bundle) {
		KeyStore store = bundle.getStores().getKeyStore();
		if (store == null) {
			return Optional.empty();
		}
		String keyPassword = (bundle.getKey().getPassword() != null) ? bundle.getKey().getPassword()
				: bundle.getStores().getKeyStorePassword();
		char[] password = (keyPassword != null) ? keyPassword.toCharArray() : new char[0];
		String only = bundle.getKey().getAlias();
		try {
			for (String alias : Collections.list(store.aliases())) {
				if ((only == null || only.equals(alias)) && store.isKeyEntry(alias)) {
					return Optional.of(verified(alias, store.getKey(alias, password), store.getCertificate(alias)));
				}
			}
			return Optional.empty();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("its key cannot be read: " + ex.getMessage(), ex);
		}
	}

	private static TlsCertificate verified(String alias, Key key, Certificate certificate)
			throws GeneralSecurityException {
		if (!(key instanceof PrivateKey privateKey) || !(certificate instanceof X509Certificate x509)) {
			throw new IllegalArgumentException("entry '" + alias + "' is not a private key with an X.509 certificate");
		}
		String algorithm = switch (privateKey.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC" -> "SHA256withECDSA";
			case "Ed25519", "EdDSA" -> "Ed25519";
			default -> null;
		};
		if (algorithm != null) {
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(privateKey);
			signer.update(PROBE);
			byte[] signature = signer.sign();
			if (!verifies(algorithm, x509, signature)) {
				throw new IllegalArgumentException("the private key of entry '" + alias
						+ "' does not belong to its certificate " + TlsCertificate.of(x509));
			}
		}
		return TlsCertificate.of(x509);
	}

	private static boolean verifies(String algorithm, X509Certificate certificate, byte[] signature)
			throws GeneralSecurityException {
		Signature verifier = Signature.getInstance(algorithm);
		try {
			verifier.initVerify(certificate.getPublicKey());
		}
		catch (InvalidKeyException ex) {
			// The certificate's key is of another kind than the private key.
			return false;
		}
		verifier.update(PROBE);
		return verifier.verify(signature);
	}

}
