package dev.mqttboot.broker;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

import org.jspecify.annotations.Nullable;

/**
 * The password-hash formats the broker accepts for its users, written with a prefix as in Spring Security:
 * {@code {bcrypt}$2a$10$...}, {@code {pbkdf2}...} or {@code {noop}plain-text} (for tests only).
 */
public final class BrokerPasswords {

	/** The accepted format prefixes, without braces. */
	public static final Set<String> FORMATS = Set.of("bcrypt", "pbkdf2", "noop");

	private static final Pattern FORMAT = Pattern.compile("^\\{([^}]*)}(.*)$", Pattern.DOTALL);

	private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}$");

	private BrokerPasswords() {
	}

	/**
	 * The encoder that checks passwords in every accepted format.
	 * @return a delegating password encoder
	 */
	@SuppressWarnings("deprecation")
	public static PasswordEncoder encoder() {
		return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(), "pbkdf2",
				Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8(), "noop", NoOpPasswordEncoder.getInstance()));
	}

	/**
	 * Check that a stored password has an accepted format.
	 * @param password the stored password with its prefix
	 * @return what is wrong with it, or {@code null} when it is usable
	 */
	public static @Nullable String check(@Nullable String password) {
		if (password == null || password.isEmpty()) {
			return "the password is empty";
		}
		var matcher = FORMAT.matcher(password);
		if (!matcher.matches() || !FORMATS.contains(matcher.group(1))) {
			return "unknown password-hash format; accepted formats are {bcrypt}, {pbkdf2} and {noop}";
		}
		if (matcher.group(1).equals("bcrypt") && !BCRYPT.matcher(matcher.group(2)).matches()) {
			return "the {bcrypt} value is not a BCrypt hash";
		}
		return null;
	}

}
