package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.test.MqttConnectRefusedException;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.TestBroker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Users, password hashes and access rules of the embedded broker, exercised by real clients.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class BrokerSecurityTests {

	@Parameter
	BrokerEngine engine;


	private static TestBroker broker;

	private static final List<BrokerEvent> events = new CopyOnWriteArrayList<>();

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		String aliceHash = "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder()
			.encode("alice-secret");
		broker = TestBroker.start(engine, "mqtt.broker.allow-anonymous=false", "mqtt.broker.users[0].name=alice",
				"mqtt.broker.users[0].password=" + aliceHash, "mqtt.broker.users[1].name=bob",
				"mqtt.broker.users[1].password={noop}bob-secret", "mqtt.broker.users-file=classpath:users.txt",
				"mqtt.broker.acl[0].user=alice", "mqtt.broker.acl[0].topic=devices/%u/#",
				"mqtt.broker.acl[0].access=readwrite", "mqtt.broker.acl[1].topic=public/#",
				"mqtt.broker.acl[1].access=read", "mqtt.broker.acl[2].user=bob",
				"mqtt.broker.acl[2].topic=devices/alice/commands", "mqtt.broker.acl[2].access=write",
				"mqtt.broker.acl[3].user=bob", "mqtt.broker.acl[3].topic=clients/%c/#",
				"mqtt.broker.acl[3].access=readwrite", "mqtt.broker.acl[4].user=carol",
				"mqtt.broker.acl[4].topic=public/#", "mqtt.broker.acl[4].access=write");
		broker.broker().addListener(events::add);
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
	}

	private static MqttTestOptions login(String user, String password) {
		MqttTestOptions options = new MqttTestOptions();
		if (user != null) {
			options.credentials(user, password);
		}
		return options;
	}

	@Test
	void anonymousClientsAreRefusedWhenAnonymousAccessIsOff() {
		assertThatExceptionOfType(MqttConnectRefusedException.class)
			.isThrownBy(() -> MqttTestClient.connect(broker.tcpUrl(), "anonymous", login(null, null)))
			.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(4));
	}

	@Test
	void aWrongPasswordIsRefused() {
		assertThatExceptionOfType(MqttConnectRefusedException.class)
			.isThrownBy(() -> MqttTestClient.connect(broker.tcpUrl(), "alice-wrong", login("alice", "not-her-password")))
			.satisfies((ex) -> assertThat(ex.returnCode()).isEqualTo(4));
		assertThat(events).anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(
				BrokerEvent.ConnectionRefused.class,
				(refused) -> assertThat(refused.reason()).isEqualTo(BrokerEvent.RefusalReason.BAD_CREDENTIALS)));
	}

	@Test
	void bcryptNoopAndFileUsersCanLogIn() throws Exception {
		try (MqttTestClient alice = MqttTestClient.connect(broker.tcpUrl(), "alice-1", login("alice", "alice-secret"));
				MqttTestClient bob = MqttTestClient.connect(broker.tcpUrl(), "bob-1", login("bob", "bob-secret"));
				MqttTestClient carol = MqttTestClient.connect(broker.tcpUrl(), "carol-1", login("carol", "carol-secret"))) {
			assertThat(alice.isConnected()).isTrue();
			assertThat(bob.isConnected()).isTrue();
			assertThat(carol.isConnected()).isTrue();
		}
	}

	@Test
	void accessRulesAllowWhatTheyGrantAndDenyTheRest() throws Exception {
		try (MqttTestClient alice = MqttTestClient.connect(broker.tcpUrl(), "alice-2", login("alice", "alice-secret"));
				MqttTestClient bob = MqttTestClient.connect(broker.tcpUrl(), "bob-2", login("bob", "bob-secret"))) {
			assertThat(alice.trySubscribe("devices/alice/#", 1)).isEqualTo(1);
			assertThat(alice.trySubscribe("devices/bob/#", 1)).isEqualTo(0x80);
			assertThat(alice.trySubscribe("devices/+/commands", 1)).as("wider than the rule").isEqualTo(0x80);
			assertThat(bob.trySubscribe("devices/alice/#", 1)).isEqualTo(0x80);
			// bob may write alice's commands topic but not her telemetry; the denied publish is dropped, the
			// allowed one that follows it on the same connection arrives.
			bob.publish("devices/alice/telemetry", "denied", 1, false);
			bob.publish("devices/alice/commands", "allowed", 1, false);
			await().atMost(Duration.ofSeconds(10)).until(() -> !alice.received().isEmpty());
			assertThat(alice.payloads()).containsExactly("allowed");
			assertThat(events).anySatisfy((event) -> assertThat(event)
				.isEqualTo(new BrokerEvent.AuthorizationDenied("bob-2", "bob", BrokerEvent.Action.PUBLISH,
						"devices/alice/telemetry")));
		}
	}

	@Test
	void aRuleForAnyUserAppliesToEveryLoggedInUser() throws Exception {
		try (MqttTestClient bob = MqttTestClient.connect(broker.tcpUrl(), "bob-3", login("bob", "bob-secret"));
				MqttTestClient carol = MqttTestClient.connect(broker.tcpUrl(), "carol-3", login("carol", "carol-secret"))) {
			assertThat(bob.trySubscribe("public/news", 0)).isEqualTo(0);
			carol.publish("public/news", "hello", 1, false);
			await().atMost(Duration.ofSeconds(10)).until(() -> !bob.received().isEmpty());
			assertThat(bob.payloads()).containsExactly("hello");
		}
	}

	@Test
	void aClientIdWithWildcardsCannotWidenAClientIdRule() throws Exception {
		try (MqttTestClient honest = MqttTestClient.connect(broker.tcpUrl(), "bob-4", login("bob", "bob-secret"));
				MqttTestClient sneaky = MqttTestClient.connect(broker.tcpUrl(), "+", login("bob", "bob-secret"))) {
			assertThat(honest.trySubscribe("clients/bob-4/#", 1)).isEqualTo(1);
			assertThat(sneaky.trySubscribe("clients/+/#", 1)).isEqualTo(0x80);
			assertThat(sneaky.trySubscribe("clients/bob-4/#", 1)).isEqualTo(0x80);
		}
	}

}
