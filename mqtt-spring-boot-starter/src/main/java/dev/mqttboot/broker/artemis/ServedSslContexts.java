package dev.mqttboot.broker.artemis;

import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import org.apache.activemq.artemis.core.remoting.impl.ssl.DefaultSSLContextFactory;
import org.apache.activemq.artemis.spi.core.remoting.ssl.SSLContextConfig;
import org.apache.activemq.artemis.spi.core.remoting.ssl.SSLContextFactory;

/**
 * Artemis's own extension point for TLS contexts (an {@link SSLContextFactory} found by {@code ServiceLoader}; the
 * highest priority wins), used so that the broker's TLS acceptors can serve renewed key material without being
 * reloaded. An acceptor builds its context once, at start; for the acceptors of a starter broker (recognised by the
 * key store file the starter wrote for them) it gets a context that hands every new connection an engine of the
 * context served <em>now</em>, which {@link #serve} replaces. Artemis's {@code acceptor.reload()} would instead close
 * and bind the listening socket again: connection attempts are refused meanwhile, and a listener on port 0 moves to
 * another port. Every other context (cluster connectors, acceptors configured by hand) is Artemis's default.
 */
public final class ServedSslContexts implements SSLContextFactory {

	/** The context each starter acceptor's key store file stands for. */
	private static final Map<String, SSLContext> served = new ConcurrentHashMap<>();

	private final SSLContextFactory defaults = new DefaultSSLContextFactory();

	/**
	 * Serve a context, from now on, on the acceptors configured with this key store file.
	 * @param keyStore the key store file of the acceptors
	 * @param context the context for new connections
	 */
	static void serve(Path keyStore, SSLContext context) {
		served.put(keyStore.toString(), context);
	}

	/** The acceptors of this key store file are gone. @param keyStore their key store file */
	static void forget(Path keyStore) {
		served.remove(keyStore.toString());
	}

	@Override
	public SSLContext getSSLContext(SSLContextConfig config, Map<String, Object> additionalOpts) throws Exception {
		String keyStore = config.getKeystorePath();
		if (keyStore != null && served.containsKey(keyStore)) {
			return new Following(() -> served.get(keyStore));
		}
		return this.defaults.getSSLContext(config, additionalOpts);
	}

	@Override
	public int getPriority() {
		return 100;
	}

	/** A context that is whatever context is served now for one key store. */
	private static final class Following extends SSLContext {

		Following(Supplier<SSLContext> current) {
			super(new Spi(current), current.get().getProvider(), current.get().getProtocol());
		}

	}

	private static final class Spi extends SSLContextSpi {

		private final Supplier<SSLContext> current;

		Spi(Supplier<SSLContext> current) {
			this.current = current;
		}

		@Override
		protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
			throw new KeyManagementException("The broker's TLS context is initialised from its SSL bundle");
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			return this.current.get().getSocketFactory();
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			return this.current.get().getServerSocketFactory();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			return this.current.get().createSSLEngine();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			return this.current.get().createSSLEngine(host, port);
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			return this.current.get().getServerSessionContext();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			return this.current.get().getClientSessionContext();
		}

	}

}
