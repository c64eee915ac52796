package dev.mqttboot.client;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;

import javax.net.ssl.SSLSocketFactory;

import org.springframework.boot.ssl.SslBundle;

/**
 * The TLS sockets of a client connection, made from its SSL bundle as it is at each connect: when the bundle is
 * reloaded ({@code spring.ssl.bundle.*.reload-on-update}), the next connect attempt uses the new trust and key
 * material. The socket factory of a bundle is built once per bundle.
 */
final class BundleSocketFactory extends SSLSocketFactory {

	private final Supplier<SslBundle> bundle;

	private @Nullable SslBundle built;

	private @Nullable SSLSocketFactory factory;

	/** @param bundle the connection's current bundle */
	BundleSocketFactory(Supplier<SslBundle> bundle) {
		this.bundle = bundle;
	}

	/**
	 * The sockets of a connection, from the bundle its settings name at each connect.
	 * @param settings the connection's settings (their bundle is asked for again at each connect)
	 * @param initial the bundle at start, used while the address names none
	 * @return the factory
	 */
	static BundleSocketFactory following(MqttConnectionSettings settings, SslBundle initial) {
		return new BundleSocketFactory(() -> {
			SslBundle now = settings.sslBundle().get();
			return (now != null) ? now : initial;
		});
	}

	private synchronized SSLSocketFactory current() {
		SslBundle now = this.bundle.get();
		SSLSocketFactory factory = this.factory;
		if (now != this.built || factory == null) {
			factory = now.createSslContext().getSocketFactory();
			this.factory = factory;
			this.built = now;
		}
		return factory;
	}

	@Override
	public String[] getDefaultCipherSuites() {
		return current().getDefaultCipherSuites();
	}

	@Override
	public String[] getSupportedCipherSuites() {
		return current().getSupportedCipherSuites();
	}

	@Override
	public Socket createSocket() throws IOException {
		return current().createSocket();
	}

	@Override
	public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
		return current().createSocket(socket, host, port, autoClose);
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return current().createSocket(host, port);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return current().createSocket(host, port, localHost, localPort);
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return current().createSocket(host, port);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return current().createSocket(address, port, localAddress, localPort);
	}

}
