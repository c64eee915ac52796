package dev.mqttboot.broker;

import org.jspecify.annotations.Nullable;

/**
 * An access rule: which user may, or may not, read (subscribe) or write (publish) which topics. The topic filter may
 * contain {@code %u} (the user name) and {@code %c} (the client id); a user name or client id containing {@code +},
 * {@code #} or {@code /} never matches a granting rule, so it cannot widen it (a deny rule takes it literally, which
 * can only deny more).
 * <p>
 * Evaluation: a deny rule that covers the topic wins; otherwise, when no rule grants anything at all, the action is
 * allowed; otherwise it is allowed only when a granting rule covers the topic.
 *
 * @param user the user the rule applies to, or {@code null} for every client
 * @param topic the topic filter the rule grants or denies access to
 * @param access what it grants or denies
 */
public record AclRule(@Nullable String user, String topic, Access access) {

	/** What a rule grants or denies. */
	public enum Access {

		/** Grants subscribe (receive). */
		READ,

		/** Grants publish (send). */
		WRITE,

		/** Grants both. */
		READWRITE,

		/** Denies both, whatever other rules grant. */
		DENY,

		/**
		 * Denies subscribe: a filter inside the rule's is refused, and messages on its topics are never delivered
		 * through a wider subscription either.
		 */
		DENY_READ,

		/** Denies publish. */
		DENY_WRITE;

		boolean allowsRead() {
			return this == READ || this == READWRITE;
		}

		boolean allowsWrite() {
			return this == WRITE || this == READWRITE;
		}

		boolean deniesRead() {
			return this == DENY || this == DENY_READ;
		}

		boolean deniesWrite() {
			return this == DENY || this == DENY_WRITE;
		}

		boolean grants() {
			return allowsRead() || allowsWrite();
		}

	}

}
