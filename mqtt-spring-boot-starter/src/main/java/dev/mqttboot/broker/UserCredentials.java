package dev.mqttboot.broker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.password.PasswordEncoder;

import org.jspecify.annotations.Nullable;

/**
 * Checks a user name and password against the configured users ({@code mqtt.broker.users} and the users file), for
 * every engine. Engines call it on their I/O threads, where an exception would close the connection with an error
 * instead of a clean refusal: it never throws.
 */
public final class UserCredentials {

	private static final Logger logger = LoggerFactory.getLogger(UserCredentials.class);

	private final Map<String, String> passwordsByUser;

	private final PasswordEncoder passwordEncoder;

	/**
	 * @param users the users, the last of the same name winning
	 * @param passwordEncoder checks a password against a user's hash
	 */
	public UserCredentials(List<BrokerUser> users, PasswordEncoder passwordEncoder) {
		this.passwordsByUser = users.stream()
			.collect(Collectors.toUnmodifiableMap(BrokerUser::name, BrokerUser::password, (first, last) -> last));
		this.passwordEncoder = passwordEncoder;
	}

	/**
	 * @param username the user name, or {@code null}
	 * @param password the password bytes (UTF-8), or {@code null}
	 * @return whether they match a configured user
	 */
	public boolean matches(@Nullable String username, byte @Nullable [] password) {
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
