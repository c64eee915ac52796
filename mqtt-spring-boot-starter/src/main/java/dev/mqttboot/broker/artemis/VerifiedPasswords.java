package dev.mqttboot.broker.artemis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Remembers which user name and password pairs passed the (deliberately slow) hash check, by a SHA-256 of the pair,
 * so that a check repeated for the same connection costs a lookup. Failures are never remembered. Bounded: the least
 * recently used pair goes first.
 */
final class VerifiedPasswords {

	private final Map<String, Boolean> passed;

	VerifiedPasswords(int capacity) {
		this.passed = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > capacity;
			}
		});
	}

	boolean check(String user, String password, BooleanSupplier hashCheck) {
		String key = digest(user, password);
		if (this.passed.containsKey(key)) {
			return true;
		}
		boolean ok = hashCheck.getAsBoolean();
		if (ok) {
			this.passed.put(key, Boolean.TRUE);
		}
		return ok;
	}

	private static String digest(String user, String password) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(user.getBytes(StandardCharsets.UTF_8));
			sha.update((byte) 0);
			sha.update(password.getBytes(StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
