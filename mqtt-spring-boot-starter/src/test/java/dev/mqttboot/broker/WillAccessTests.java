package dev.mqttboot.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.metrics.BrokerMetrics;
import dev.mqttboot.support.MqttPackets;
import dev.mqttboot.test.MqttTestClient;
import dev.mqttboot.test.MqttTestOptions;
import dev.mqttboot.support.RawMqttClient;
import dev.mqttboot.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A last will is a publish the broker makes for its client, so the access rules apply to it as to the client's own
 * PUBLISH: a will its client may not write is never published (not live, not retained) and is counted as a denial;
 * an allowed one is. The CONNECT is accepted either way, as Mosquitto does.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BrokerEngine.class)
class WillAccessTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static TestBroker broker;

	private static final List<BrokerEvent> events = new CopyOnWriteArrayList<>();

	private static final MeterRegistry meters = new SimpleMeterRegistry();

	@Parameter
	BrokerEngine engine;

	@BeforeParameterizedClassInvocation
	static void start(BrokerEngine engine) {
		broker = TestBroker.start(engine, "mqtt.broker.allow-anonymous=false",
				"mqtt.broker.users[0].name=alice", "mqtt.broker.users[0].password={noop}alice-secret",
				"mqtt.broker.users[1].name=bob", "mqtt.broker.users[1].password={noop}bob-secret",
				"mqtt.broker.users[2].name=watcher", "mqtt.broker.users[2].password={noop}watcher-secret",
				"mqtt.broker.acl[0].user=alice", "mqtt.broker.acl[0].topic=a/#", "mqtt.broker.acl[0].access=readwrite",
				"mqtt.broker.acl[1].user=bob", "mqtt.broker.acl[1].topic=b/#", "mqtt.broker.acl[1].access=readwrite",
				"mqtt.broker.acl[2].user=bob", "mqtt.broker.acl[2].topic=clients/%c/status",
				"mqtt.broker.acl[2].access=write", "mqtt.broker.acl[3].user=watcher",
				"mqtt.broker.acl[3].topic=clients/#", "mqtt.broker.acl[3].access=read",
				"mqtt.broker.acl[4].user=watcher", "mqtt.broker.acl[4].topic=b/#", "mqtt.broker.acl[4].access=read",
				"mqtt.broker.acl[5].topic=b/locked", "mqtt.broker.acl[5].access=deny-write");
		broker.broker().addListener(events::add);
		broker.context().getBean(BrokerMetrics.class).bindTo(meters);
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		broker.close();
		events.clear();
	}

	@Test
	void aWillOnATopicItsClientMayNotWriteIsNeitherDeliveredNorRetained() throws Exception {
		try (MqttTestClient alice = MqttTestClient.connect(broker.tcpUrl(), "alice-victim", login("alice"))) {
			assertThat(alice.trySubscribe("a/#", 1)).isEqualTo(1);
			double denialsBefore = publishDenials();
			dropWithWill("bob-forger", "bob", "a/x", "forged", true);
			await().atMost(WAIT).until(() -> deniedWill("bob-forger", "a/x"));
			assertThat(publishDenials()).isEqualTo(denialsBefore + 1);
			// A probe published after the denial arrives; the forged will never came before it.
			alice.publish("a/probe", "probe", 1, false);
			await().atMost(WAIT).until(() -> alice.payloads().contains("probe"));
			assertThat(alice.payloads()).containsExactly("probe");
		}
		try (MqttTestClient late = MqttTestClient.connect(broker.tcpUrl(), "alice-late", login("alice"))) {
			late.subscribe("a/#", 1);
			late.publish("a/probe", "after", 1, false);
			await().atMost(WAIT).until(() -> late.payloads().contains("after"));
			assertThat(late.payloads()).as("nothing retained from the forged will").containsExactly("after");
		}
	}

	@Test
	void aWillItsClientMayWriteIsPublished() throws Exception {
		try (MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), "watcher-1", login("watcher"))) {
			assertThat(watcher.trySubscribe("b/#", 1)).isEqualTo(1);
			dropWithWill("bob-allowed", "bob", "b/status", "bob-gone", false);
			await().atMost(WAIT).until(() -> watcher.payloads().contains("bob-gone"));
			assertThat(deniedWill("bob-allowed", "b/status")).isFalse();
		}
	}

	@Test
	void aClientIdRuleAppliesToTheWillsOwnClient() throws Exception {
		try (MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), "watcher-2", login("watcher"))) {
			assertThat(watcher.trySubscribe("clients/#", 1)).isEqualTo(1);
			dropWithWill("bob-8", "bob", "clients/bob-7/status", "impostor", false);
			await().atMost(WAIT).until(() -> deniedWill("bob-8", "clients/bob-7/status"));
			dropWithWill("bob-7", "bob", "clients/bob-7/status", "offline", false);
			await().atMost(WAIT).until(() -> watcher.payloads().contains("offline"));
			assertThat(watcher.payloads()).containsExactly("offline");
		}
	}

	@Test
	void aDenyRuleAndADollarTopicStopAWill() throws Exception {
		try (MqttTestClient watcher = MqttTestClient.connect(broker.tcpUrl(), "watcher-3", login("watcher"))) {
			assertThat(watcher.trySubscribe("b/#", 1)).isEqualTo(1);
			dropWithWill("bob-locked", "bob", "b/locked", "locked", false);
			dropWithWill("bob-dollar", "bob", "$SYS/forged", "system", false);
			await().atMost(WAIT)
				.until(() -> deniedWill("bob-locked", "b/locked") && deniedWill("bob-dollar", "$SYS/forged"));
			dropWithWill("bob-open", "bob", "b/open", "open", false);
			await().atMost(WAIT).until(() -> watcher.payloads().contains("open"));
			assertThat(watcher.payloads()).containsExactly("open");
		}
	}

	/** Connect with a QoS 1 will, see it accepted, and drop the TCP connection without DISCONNECT. */
	private static void dropWithWill(String clientId, String user, String willTopic, String willPayload,
			boolean retain) throws Exception {
		try (RawMqttClient client = new RawMqttClient(broker.port())) {
			client.send(MqttPackets.connect(clientId, 60, true, willTopic, willPayload, 1, retain, user,
					user + "-secret"));
			assertThat(client.expect(MqttPackets.CONNACK, WAIT).body()[1]).as("CONNACK return code").isZero();
		}
	}

	private static boolean deniedWill(String clientId, String topic) {
		return events.stream().anyMatch((event) -> event.equals(new BrokerEvent.AuthorizationDenied(clientId,
				clientId.substring(0, clientId.indexOf('-')), BrokerEvent.Action.PUBLISH, topic)));
	}

	private static double publishDenials() {
		return meters.get("mqtt.broker.authz.denials").tag("action", "publish").counter().count();
	}

	private static MqttTestOptions login(String user) {
		MqttTestOptions options = new MqttTestOptions();
		options.credentials(user, (user + "-secret"));
		return options;
	}

}
