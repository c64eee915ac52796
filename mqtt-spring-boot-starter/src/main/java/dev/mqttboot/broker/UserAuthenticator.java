package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.moquette.broker.security.IAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks user names and passwords against the configured users. Runs on the connection's Netty thread; it never
 * throws, because an exception there would close the connection with an error instead of a clean refusal. A refusal
 * is reported as {@link BrokerEvent.ConnectionRefused} when the CONNACK goes out.
 */
final class UserAuthenticator implements IAuthenticator {

	private static final Logger logger = LoggerFactory.getLogger(UserAuthenticator.class);

	private final Map<String, String> passwordsByUser;

	private final PasswordEncoder passwordEncoder;

	UserAuthenticator(List<BrokerUser> users, PasswordEncoder passwordEncoder) {
		this.passwordsByUser = users.stream()
			.collect(Collectors.toUnmodifiableMap(BrokerUser::name, BrokerUser::password, (first, last) -> last));
		this.passwordEncoder = passwordEncoder;
	}

	@Override
	public boolean checkValid(String clientId, String username, byte[] password) {
		try {
			String hash = (username != null) ? this.passwordsByUser.get(username) : null;
			return hash != null && password != null
					&& this.passwordEncoder.matches(new String(password, StandardCharsets.UTF_8), hash);
		}
		catch (RuntimeException ex) {
			logger.warn("Password check for user '{}' failed: {}", username, ex.getMessage());
			return false;
		}
	}

}
