package dev.mqttboot.broker;


import dev.mqttboot.core.TopicSyntax;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jspecify.annotations.Nullable;

/**
 * Applies the configured {@link AclRule}s to publishes, subscribes and deliveries, in the order {@link AclRule}
 * documents: a deny rule covering the topic wins; with no granting rule everything else is allowed; otherwise only
 * what a granting rule covers. {@code %u} and {@code %c} never widen a rule: a user name or client id holding a
 * wildcard or separator makes a granting rule skip, and a deny rule deny more. Engines call it on their I/O or session
 * threads, where an exception would hurt other clients: it never throws.
 */
public final class AccessPolicy {

	private static final Logger logger = LoggerFactory.getLogger(AccessPolicy.class);

	private final List<AclRule> rules;

	private final boolean anyGrant;

	private final boolean anyReadDenial;

	private final Consumer<BrokerEvent> events;

	/**
	 * @param rules the rules, in order
	 * @param events receives an {@link BrokerEvent.AuthorizationDenied} for each refusal
	 */
	public AccessPolicy(List<AclRule> rules, Consumer<BrokerEvent> events) {
		this.rules = List.copyOf(rules);
		this.anyGrant = rules.stream().anyMatch((rule) -> rule.access().grants());
		this.anyReadDenial = rules.stream().anyMatch((rule) -> rule.access().deniesRead());
		this.events = events;
	}

	/** @return whether there are rules at all (none: everything is allowed) */
	public boolean isEmpty() {
		return this.rules.isEmpty();
	}

	/**
	 * Whether a client may publish to a topic; a refusal raises {@link BrokerEvent.AuthorizationDenied}.
	 * @param topic the topic name
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 * @return whether the publish is allowed
	 */
	public boolean allowsPublish(String topic, @Nullable String user, @Nullable String client) {
		return this.rules.isEmpty() || check(BrokerEvent.Action.PUBLISH, topic, user, client);
	}

	/**
	 * Whether a client's last will may be published: the same rules as a PUBLISH of it, without raising an event
	 * (the engines decide when the CONNECT arrives, and report a denial with {@link #willDenied} once the connection
	 * is accepted, so a refused CONNECT counts nothing).
	 * @param topic the will topic
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 * @return whether the will may be published
	 */
	public boolean allowsWill(String topic, @Nullable String user, @Nullable String client) {
		if (this.rules.isEmpty()) {
			return true;
		}
		try {
			return allows(BrokerEvent.Action.PUBLISH, topic, user, client);
		}
		catch (RuntimeException ex) {
			logger.warn("Access check for the will of client '{}' on '{}' failed: {}", client, topic, ex.getMessage());
			return false;
		}
	}

	/**
	 * Report a last will the rules refused (see {@link #allowsWill}): raises {@link BrokerEvent.AuthorizationDenied}
	 * for a PUBLISH of it and logs it, once per connection. The connection is accepted; the will is never published,
	 * nor stored as retained.
	 * @param topic the will topic
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 */
	public void willDenied(String topic, @Nullable String user, @Nullable String client) {
		logger.info("The last will of client '{}' (user '{}') on '{}' is not allowed by the access rules "
				+ "(mqtt.broker.acl): it will not be published", client, user, topic);
		this.events.accept(new BrokerEvent.AuthorizationDenied(client, user, BrokerEvent.Action.PUBLISH, topic));
	}

	/**
	 * Whether a client may subscribe to a filter; a refusal raises {@link BrokerEvent.AuthorizationDenied}.
	 * @param filter the topic filter
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 * @return whether the subscription is allowed
	 */
	public boolean allowsSubscribe(String filter, @Nullable String user, @Nullable String client) {
		return this.rules.isEmpty() || check(BrokerEvent.Action.SUBSCRIBE, filter, user, client);
	}

	/**
	 * Whether a deny rule keeps a message on this topic from this client, whatever subscription matched it. Checked
	 * for every delivery, so it answers at once when no rule denies reading.
	 * @param topic the topic name of the message
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 * @return whether the delivery must be withheld
	 */
	public boolean deniesRead(String topic, @Nullable String user, @Nullable String client) {
		if (!this.anyReadDenial) {
			return false;
		}
		try {
			return denies(BrokerEvent.Action.SUBSCRIBE, topic, user, client);
		}
		catch (RuntimeException ex) {
			logger.warn("Access check for client '{}' on '{}' failed: {}", client, topic, ex.getMessage());
			return true;
		}
	}

	private boolean check(BrokerEvent.Action action, String requested, @Nullable String user, @Nullable String client) {
		try {
			if (allows(action, requested, user, client)) {
				return true;
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Access check for client '{}' on '{}' failed: {}", client, requested, ex.getMessage());
		}
		this.events.accept(new BrokerEvent.AuthorizationDenied(client, user, action, requested));
		return false;
	}

	/**
	 * Whether the rules allow an action, without raising an event.
	 * @param action publish or subscribe
	 * @param requested the topic name or filter
	 * @param user the user name, or {@code null}
	 * @param client the client id
	 * @return whether it is allowed
	 */
	public boolean allows(BrokerEvent.Action action, String requested, @Nullable String user, @Nullable String client) {
		if (denies(action, requested, user, client)) {
			return false;
		}
		if (!this.anyGrant) {
			return true;
		}
		for (AclRule rule : this.rules) {
			boolean grants = (action == BrokerEvent.Action.PUBLISH) ? rule.access().allowsWrite()
					: rule.access().allowsRead();
			if (grants && appliesTo(rule, user)) {
				String filter = substitute(rule.topic(), user, client);
				if (filter != null && TopicSyntax.covers(filter, requested)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether a deny rule covers what is asked: the topic of a publish or delivery, or the whole of a subscription's
	 * filter (a wider filter is granted, and what the rule covers is withheld at delivery, see
	 * {@link #deniesRead}).
	 */
	private boolean denies(BrokerEvent.Action action, String requested, @Nullable String user, @Nullable String client) {
		for (AclRule rule : this.rules) {
			boolean denies = (action == BrokerEvent.Action.PUBLISH) ? rule.access().deniesWrite()
					: rule.access().deniesRead();
			if (denies && appliesTo(rule, user)) {
				String filter = substituteLiterally(rule.topic(), user, client);
				if (filter != null && TopicSyntax.covers(filter, requested)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Replace {@code %u} and {@code %c} in a deny rule as they are: a wildcard or separator in them can only make the
	 * rule deny more. A rule that needs a value the client does not have (no user name) does not apply.
	 */
	private static @Nullable String substituteLiterally(String filter, @Nullable String user, @Nullable String client) {
		String result = filter;
		if (result.contains("%u")) {
			if (user == null || user.isEmpty()) {
				return null;
			}
			result = result.replace("%u", user);
		}
		if (result.contains("%c")) {
			if (client == null || client.isEmpty()) {
				return null;
			}
			result = result.replace("%c", client);
		}
		return result;
	}

	private static boolean appliesTo(AclRule rule, @Nullable String user) {
		return rule.user() == null || rule.user().equals(user);
	}

	/**
	 * Replace {@code %u} and {@code %c}. A value that is missing or contains a wildcard or level separator would
	 * widen the rule, so the rule is skipped instead.
	 */
	private static @Nullable String substitute(String filter, @Nullable String user, @Nullable String client) {
		String result = filter;
		if (result.contains("%u")) {
			if (!isSafeLevel(user)) {
				return null;
			}
			result = result.replace("%u", user);
		}
		if (result.contains("%c")) {
			if (!isSafeLevel(client)) {
				return null;
			}
			result = result.replace("%c", client);
		}
		return result;
	}

	private static boolean isSafeLevel(@Nullable String value) {
		return value != null && !value.isEmpty() && value.indexOf('+') < 0 && value.indexOf('#') < 0
				&& value.indexOf('/') < 0;
	}

}
