package dev.mqttboot.broker.moquette;

import dev.mqttboot.broker.AccessPolicy;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AccessPolicy} as Moquette's authorizer, and for the connection guard (publishes, wills) and delivery
 * conformance (deny-read). Called inside Moquette's session loop, where an exception would end the loop for every
 * client on it; the policy never throws.
 */
final class AccessRules implements IAuthorizatorPolicy {

	private final AccessPolicy policy;

	AccessRules(AccessPolicy policy) {
		this.policy = policy;
	}

	boolean allowsPublish(String topic, @Nullable String user, @Nullable String client) {
		return this.policy.allowsPublish(topic, user, client);
	}

	boolean allowsWill(String topic, @Nullable String user, @Nullable String client) {
		return this.policy.allowsWill(topic, user, client);
	}

	void willDenied(String topic, @Nullable String user, @Nullable String client) {
		this.policy.willDenied(topic, user, client);
	}

	boolean deniesRead(String topic, @Nullable String user, @Nullable String client) {
		return this.policy.deniesRead(topic, user, client);
	}

	@Override
	public boolean canWrite(Topic topic, String user, String client) {
		return this.policy.allowsPublish(String.valueOf(topic), user, client);
	}

	@Override
	public boolean canRead(Topic topic, String user, String client) {
		return this.policy.allowsSubscribe(String.valueOf(topic), user, client);
	}

}
