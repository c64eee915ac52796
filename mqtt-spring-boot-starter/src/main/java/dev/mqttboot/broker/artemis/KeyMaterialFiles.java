package dev.mqttboot.broker.artemis;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;

import dev.mqttboot.broker.BrokerStartException;

import org.springframework.boot.ssl.SslBundle;
import org.jspecify.annotations.Nullable;

/**
 * An SSL bundle (PEM, JKS or PKCS12) as the PKCS12 files Artemis's acceptors read: its key and certificate chain,
 * and its trust store, copied under a password made for this run, into the engine's scratch or data directory. The
 * acceptors check them at start; the contexts they serve come from {@link ServedSslContexts}, keyed by the key store
 * file.
 */
final class KeyMaterialFiles {

	final Path keyStore;

	final @Nullable Path trustStore;

	final String password;

	private KeyMaterialFiles(Path keyStore, @Nullable Path trustStore, String password) {
		this.keyStore = keyStore;
		this.trustStore = trustStore;
		this.password = password;
	}

	static KeyMaterialFiles write(SslBundle bundle, Path directory) {
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		String password = HexFormat.of().formatHex(random);
		try {
			Path tls = Files.createDirectories(directory.resolve("tls"));
			Path keys = tls.resolve("keystore.p12");
			store(keys, keyStore(bundle, password.toCharArray()), password);
			Path trust = null;
			KeyStore trustStore = bundle.getStores().getTrustStore();
			if (trustStore != null) {
				trust = tls.resolve("truststore.p12");
				store(trust, certificates(trustStore), password);
			}
			return new KeyMaterialFiles(keys, trust, password);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new BrokerStartException("mqtt.broker.ssl.bundle",
					"The SSL bundle's key material could not be handed to the Artemis engine: " + ex.getMessage(),
					"Check the bundle's key store, key alias and key password", ex);
		}
	}

	private static KeyStore keyStore(SslBundle bundle, char[] password) throws GeneralSecurityException, IOException {
		KeyStore source = bundle.getStores().getKeyStore();
		if (source == null) {
			throw new GeneralSecurityException("the bundle has no key store");
		}
		String keyPassword = bundle.getKey().getPassword();
		if (keyPassword == null) {
			keyPassword = bundle.getStores().getKeyStorePassword();
		}
		char[] sourcePassword = (keyPassword != null) ? keyPassword.toCharArray() : new char[0];
		KeyStore copy = KeyStore.getInstance("PKCS12");
		copy.load(null, null);
		String only = bundle.getKey().getAlias();
		for (String alias : Collections.list(source.aliases())) {
			if ((only == null || only.equals(alias)) && source.isKeyEntry(alias)) {
				Key key = source.getKey(alias, sourcePassword);
				Certificate[] chain = source.getCertificateChain(alias);
				copy.setKeyEntry(alias, key, password, chain);
			}
		}
		if (copy.size() == 0) {
			throw new GeneralSecurityException("the bundle's key store holds no private key"
					+ ((only != null) ? " with alias '" + only + "'" : ""));
		}
		return copy;
	}

	private static KeyStore certificates(KeyStore source) throws GeneralSecurityException, IOException {
		KeyStore copy = KeyStore.getInstance("PKCS12");
		copy.load(null, null);
		for (String alias : Collections.list(source.aliases())) {
			Certificate certificate = source.getCertificate(alias);
			if (certificate != null) {
				copy.setCertificateEntry(alias, certificate);
			}
		}
		return copy;
	}

	private static void store(Path file, KeyStore store, String password) throws IOException, GeneralSecurityException {
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, password.toCharArray());
		}
	}

}
