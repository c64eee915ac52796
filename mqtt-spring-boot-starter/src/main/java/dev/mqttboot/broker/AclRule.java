package dev.mqttboot.broker;

/**
 * An access rule: which user may read (subscribe) or write (publish) which topics. The topic filter may contain
 * {@code %u} (the user name) and {@code %c} (the client id); a user name or client id containing {@code +},
 * {@code #} or {@code /} never matches such a rule, so it cannot widen it.
 *
 * @param user the user the rule applies to, or {@code null} for every client
 * @param topic the topic filter the rule grants access to
 * @param access what it grants
 */
public record AclRule(String user, String topic, Access access) {

	/** What a rule grants. */
	public enum Access {

		/** Subscribe (receive). */
		READ,

		/** Publish (send). */
		WRITE,

		/** Both. */
		READWRITE;

		boolean allowsRead() {
			return this != WRITE;
		}

		boolean allowsWrite() {
			return this != READ;
		}

	}

}
