package dev.mqttboot.broker.artemis;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Set;

import javax.security.auth.Subject;

import dev.mqttboot.broker.AccessPolicy;
import dev.mqttboot.broker.UserCredentials;
import org.apache.activemq.artemis.utils.CompositeAddress;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.jspecify.annotations.Nullable;

/**
 * Artemis's security manager for the broker's users and access rules. Artemis caches neither authentication nor
 * authorization here (the engine is configured so), because a rule with {@code %c} depends on the connection, not
 * only on the user: every check authenticates again with the connection at hand, and what is expensive — the password
 * hash — is remembered by {@link VerifiedPasswords}.
 */
final class ArtemisSecurity implements ActiveMQSecurityManager5 {

	private final UserCredentials credentials;

	private final VerifiedPasswords verified = new VerifiedPasswords(1024);

	private final AccessPolicy policy;

	private final boolean allowAnonymous;

	private final WildcardConfiguration wildcards = new WildcardConfiguration();

	ArtemisSecurity(UserCredentials credentials, AccessPolicy policy, boolean allowAnonymous) {
		this.credentials = credentials;
		this.policy = policy;
		this.allowAnonymous = allowAnonymous;
	}

	@Override
	public @Nullable Subject authenticate(@Nullable String user, @Nullable String password,
			@Nullable RemotingConnection connection, @Nullable String securityDomain) {
		String clientId = (connection != null) ? connection.getClientID() : null;
		if (user == null || user.isEmpty()) {
			return this.allowAnonymous ? subject(null, clientId) : null;
		}
		if (password == null || !this.verified.check(user, password,
				() -> this.credentials.matches(user, password.getBytes(StandardCharsets.UTF_8)))) {
			return null;
		}
		return subject(user, clientId);
	}

	@Override
	public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
		ClientPrincipal client = (subject != null) ? principal(subject) : null;
		if (client == null) {
			return false;
		}
		// Queue checks name the queue too ("<address>::<client id>.<address>"), and addresses are MQTT topics in
		// Artemis's syntax ('.' and '*' for '/' and '+'): the rules are about the MQTT topic or filter.
		String topic = MQTTUtil.getMqttTopicFromCoreAddress(CompositeAddress.extractAddressName(address),
				this.wildcards);
		return switch (checkType) {
			case SEND -> this.policy.allowsPublish(topic, client.user(), client.clientId());
			case CREATE_DURABLE_QUEUE, CREATE_NON_DURABLE_QUEUE ->
				this.policy.allowsSubscribe(topic, client.user(), client.clientId());
			// Checked right after the queue was created (and allowed); asking twice would report a denial twice.
			case CONSUME -> true;
			// The MQTT protocol creates and removes the addresses and queues behind sessions itself.
			case CREATE_ADDRESS, DELETE_ADDRESS, DELETE_DURABLE_QUEUE, DELETE_NON_DURABLE_QUEUE -> true;
			default -> false;
		};
	}

	@Override
	public boolean validateUser(String user, String password) {
		return authenticate(user, password, null, null) != null;
	}

	@Override
	public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
		return false;
	}

	private static Subject subject(@Nullable String user, @Nullable String clientId) {
		Subject subject = new Subject();
		subject.getPrincipals().add(new ClientPrincipal(user, clientId));
		// Artemis accepts a subject only with a user principal; an anonymous client's is named for the logs.
		subject.getPrincipals().add(new UserPrincipal((user != null) ? user : "anonymous"));
		return subject;
	}

	private static @Nullable ClientPrincipal principal(Subject subject) {
		for (Principal principal : subject.getPrincipals()) {
			if (principal instanceof ClientPrincipal client) {
				return client;
			}
		}
		return null;
	}

	/** Who a connection is: its user (or {@code null}) and its client id. */
	record ClientPrincipal(@Nullable String user, @Nullable String clientId) implements Principal {

		@Override
		public String getName() {
			return (this.user != null) ? this.user : "anonymous";
		}

	}

}
