package dev.mqttboot.broker;


import java.util.ArrayList;
import java.util.List;

import dev.mqttboot.broker.AclRule.Access;
import dev.mqttboot.broker.BrokerEvent.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation order of access rules: a denial covering the topic wins, with no granting rule the rest is allowed,
 * otherwise only what a grant covers.
 */
class AccessPolicyTests {

	private final List<BrokerEvent> events = new ArrayList<>();

	private AccessPolicy rules(AclRule... rules) {
		return new AccessPolicy(List.of(rules), this.events::add);
	}

	@Test
	void aDenialWinsOverAGrantForTheTopicsItCovers() {
		AccessPolicy rules = rules(new AclRule(null, "#", Access.READWRITE),
				new AclRule(null, "secrets/#", Access.DENY));
		assertThat(rules.allows(Action.PUBLISH, "secrets/a", "u", "c")).isFalse();
		assertThat(rules.allows(Action.SUBSCRIBE, "secrets/+", "u", "c")).isFalse();
		assertThat(rules.allows(Action.PUBLISH, "public/a", "u", "c")).isTrue();
		// A wider filter is granted; the denied topics are withheld at delivery.
		assertThat(rules.allows(Action.SUBSCRIBE, "#", "u", "c")).isTrue();
		assertThat(rules.deniesRead("secrets/a", "u", "c")).isTrue();
		assertThat(rules.deniesRead("public/a", "u", "c")).isFalse();
	}

	@Test
	void denyReadAndDenyWriteDenyOnlyTheirAction() {
		AccessPolicy rules = rules(new AclRule(null, "ro/#", Access.DENY_WRITE),
				new AclRule(null, "wo/#", Access.DENY_READ));
		assertThat(rules.allows(Action.PUBLISH, "ro/a", null, "c")).isFalse();
		assertThat(rules.allows(Action.SUBSCRIBE, "ro/a", null, "c")).isTrue();
		assertThat(rules.allows(Action.PUBLISH, "wo/a", null, "c")).isTrue();
		assertThat(rules.allows(Action.SUBSCRIBE, "wo/a", null, "c")).isFalse();
		assertThat(rules.deniesRead("ro/a", null, "c")).isFalse();
		assertThat(rules.deniesRead("wo/a", null, "c")).isTrue();
	}

	@Test
	void withOnlyDenialsEverythingElseIsAllowedAndWithAGrantOnlyWhatItCovers() {
		AccessPolicy denialsOnly = rules(new AclRule(null, "test/nosubscribe", Access.DENY_READ));
		assertThat(denialsOnly.allows(Action.SUBSCRIBE, "anything/#", null, "c")).isTrue();
		assertThat(denialsOnly.allows(Action.SUBSCRIBE, "test/nosubscribe", null, "c")).isFalse();
		AccessPolicy withGrant = rules(new AclRule(null, "test/nosubscribe", Access.DENY_READ),
				new AclRule(null, "public/#", Access.READ));
		assertThat(withGrant.allows(Action.SUBSCRIBE, "anything/#", null, "c")).isFalse();
		assertThat(withGrant.allows(Action.SUBSCRIBE, "public/a", null, "c")).isTrue();
	}

	@Test
	void aDenialAppliesOnlyToItsUser() {
		AccessPolicy rules = rules(new AclRule("guest", "secrets/#", Access.DENY_READ));
		assertThat(rules.deniesRead("secrets/a", "guest", "c")).isTrue();
		assertThat(rules.deniesRead("secrets/a", "admin", "c")).isFalse();
		assertThat(rules.deniesRead("secrets/a", null, "c")).isFalse();
	}

	@Test
	void placeholdersInADenialAreTakenLiterallyAndCanOnlyDenyMore() {
		AccessPolicy rules = rules(new AclRule(null, "#", Access.READWRITE),
				new AclRule(null, "devices/%c/secret", Access.DENY));
		assertThat(rules.allows(Action.PUBLISH, "devices/d1/secret", null, "d1")).isFalse();
		assertThat(rules.allows(Action.PUBLISH, "devices/d2/secret", null, "d1")).isTrue();
		// A client id "+" makes the denial cover every device's secret for that client, never less.
		assertThat(rules.allows(Action.PUBLISH, "devices/d2/secret", null, "+")).isFalse();
		// A placeholder the client has no value for (no user name) leaves the denial out.
		AccessPolicy byUser = rules(new AclRule(null, "users/%u/#", Access.DENY));
		assertThat(byUser.allows(Action.PUBLISH, "users/x/a", null, "c")).isTrue();
		assertThat(byUser.allows(Action.PUBLISH, "users/x/a", "x", "c")).isFalse();
	}

	@Test
	void aPlaceholderInAGrantNeverWidensIt() {
		AccessPolicy rules = rules(new AclRule(null, "devices/%c/#", Access.READWRITE));
		assertThat(rules.allows(Action.PUBLISH, "devices/d1/t", null, "d1")).isTrue();
		assertThat(rules.allows(Action.PUBLISH, "devices/d2/t", null, "+")).isFalse();
		assertThat(rules.allows(Action.PUBLISH, "devices/a/b/t", null, "a/b")).isFalse();
	}

}
