package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerSettings;
import dev.mqttboot.broker.BrokerStartException;

import java.util.Arrays;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Builds the Netty server {@link SslContext} from a Spring Boot {@link SslBundle}, so JKS, PKCS12 and PEM bundles all
 * work the same way.
 */
final class ServerSslContexts {

	private ServerSslContexts() {
	}

	static SslContext create(SslBundle bundle, BrokerSettings.ClientAuth clientAuth) {
		try {
			SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory());
			if (clientAuth != BrokerSettings.ClientAuth.NONE) {
				builder.trustManager(bundle.getManagers().getTrustManagerFactory());
			}
			builder.clientAuth(switch (clientAuth) {
				case NONE -> ClientAuth.NONE;
				case WANT -> ClientAuth.OPTIONAL;
				case NEED -> ClientAuth.REQUIRE;
			});
			SslOptions options = bundle.getOptions();
			if (options.getCiphers() != null) {
				builder.ciphers(Arrays.asList(options.getCiphers()));
			}
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			return builder.build();
		}
		catch (SSLException | RuntimeException ex) {
			throw new BrokerStartException("mqtt.broker.ssl.bundle",
					"The SSL bundle for the broker's TLS listeners cannot be used: " + ex.getMessage(),
					"Check that the bundle has a private key and a certificate chain (spring.ssl.bundle.*)", ex);
		}
	}

}
