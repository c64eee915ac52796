package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.BrokerEvent;
import dev.mqttboot.broker.UserCredentials;
import io.moquette.broker.security.IAuthenticator;

/**
 * {@link UserCredentials} as Moquette's authenticator. A refusal is reported as {@link BrokerEvent.ConnectionRefused}
 * when the CONNACK goes out.
 */
final class UserAuthenticator implements IAuthenticator {

	private final UserCredentials credentials;

	UserAuthenticator(UserCredentials credentials) {
		this.credentials = credentials;
	}

	@Override
	public boolean checkValid(String clientId, String username, byte[] password) {
		return this.credentials.matches(username, password);
	}

}
