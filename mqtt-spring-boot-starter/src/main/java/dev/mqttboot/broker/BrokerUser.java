package dev.mqttboot.broker;

/**
 * A user allowed to log in to the embedded broker.
 *
 * @param name the user name
 * @param password the password hash with its format prefix, e.g. {@code {bcrypt}$2a$10$...} or {@code {noop}secret}
 */
public record BrokerUser(String name, String password) {

	@Override
	public String toString() {
		return "BrokerUser[name=" + this.name + ", password=******]";
	}

}
