package dev.mqttboot.brokerservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The Helm chart, checked with a real Helm (helm-java) and the fabric8 Kubernetes model: it lints (values validated
 * against values.schema.json), renders with default values and with every option on, refuses bad values, and every
 * rendered object is a valid Kubernetes object (unknown fields rejected).
 */
class HelmChartTests {

	private static final Path CHART = Path.of("../helm/broker-service");

	/** Kubernetes model mapping that fails on any field the model does not know. */
	private static final ObjectMapper STRICT = new ObjectMapper()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
			@Override
			public Boolean hasAnySetter(Annotated annotated) {
				// The model keeps unknown fields in an "additionalProperties" catch-all; turn it off.
				return Boolean.FALSE;
			}
		});

	@Test
	void theChartLints() {
		LintResult result = new Helm(CHART).lint().strict().call();
		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@Test
	void defaultValuesRenderOneReplicaWithProbesPersistenceAndANonRootUser() throws Exception {
		Rendered rendered = render(new Helm(CHART).template().withName("mqtt"));
		StatefulSet statefulSet = rendered.one(StatefulSet.class);
		assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(1);
		var pod = statefulSet.getSpec().getTemplate().getSpec();
		var container = pod.getContainers().get(0);
		// Artemis by default, its journal synced in batches.
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("MQTT_ENGINE");
			assertThat(env.getValue()).isEqualTo("artemis");
		}).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("MQTT_PERSISTENCE_SYNC");
			assertThat(env.getValue()).isEqualTo("batched");
		}).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("BROKER_SERVICE_CONSOLE_ENABLED");
			assertThat(env.getValue()).isEqualTo("true");
		});
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement()
			.satisfies((claim) -> assertThat(claim.getMetadata().getName()).isEqualTo("data"));
		assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsEntry("prometheus.io/scrape", "true")
			.containsKeys("checksum/config", "checksum/users");
		// Out of the endpoints first, then SIGTERM, within a grace period above the service's shutdown phase.
		assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
		assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45);
		// The governing Service is headless; the MQTT Service never carries the management port.
		assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("mqtt-broker-service-headless");
		Service headless = rendered.named(Service.class, "mqtt-broker-service-headless");
		assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
		assertThat(rendered.named(Service.class, "mqtt-broker-service").getSpec().getPorts())
			.extracting(ServicePort::getName)
			.containsExactly("mqtt", "ws");
		assertThat(rendered.named(Service.class, "mqtt-broker-service-management").getSpec().getPorts())
			.extracting(ServicePort::getName)
			.containsExactly("management");
		assertThat(rendered.one(ConfigMap.class).getData()).containsKey("application.yml");
		assertThat(rendered.one(Secret.class).getStringData()).containsKey("users");
		assertThat(rendered.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "PodDisruptionBudget");
	}

	@Test
	void theConsoleCanBeTurnedOff() throws Exception {
		var container = render(new Helm(CHART).template().withName("mqtt").set("management.console.enabled", "false"))
			.one(StatefulSet.class)
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0);
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("BROKER_SERVICE_CONSOLE_ENABLED");
			assertThat(env.getValue()).isEqualTo("false");
		});
	}

	@Test
	void aChangeOfUsersOrConfigurationChangesThePodTemplateSoThePodRolls() throws Exception {
		Map<String, String> before = render(new Helm(CHART).template().withName("mqtt")).one(StatefulSet.class)
			.getSpec()
			.getTemplate()
			.getMetadata()
			.getAnnotations();
		Map<String, String> users = render(new Helm(CHART).template().withName("mqtt").set("users", "a:{noop}b"))
			.one(StatefulSet.class)
			.getSpec()
			.getTemplate()
			.getMetadata()
			.getAnnotations();
		assertThat(users.get("checksum/users")).isNotEqualTo(before.get("checksum/users"));
		assertThat(users.get("checksum/config")).isEqualTo(before.get("checksum/config"));
	}

	@Test
	void everyOptionRendersSecurePortsMonitorRulesBudgetSchedulingAndCredentials() throws Exception {
		Rendered rendered = render(new Helm(CHART).template()
			.withName("mqtt")
			.set("tls.enabled", "true")
			.set("tls.secretName", "mqtt-tls")
			.set("metrics.serviceMonitor.enabled", "true")
			.set("metrics.serviceMonitor.labels.release", "kube-prometheus-stack")
			.set("metrics.serviceMonitor.namespace", "monitoring")
			.set("metrics.serviceMonitor.interval", "15s")
			.set("metrics.prometheusRule.enabled", "true")
			.set("metrics.prometheusRule.labels.release", "kube-prometheus-stack")
			.set("podDisruptionBudget.enabled", "true")
			.set("nodeSelector.disktype", "ssd")
			.set("tolerations[0].key", "dedicated")
			.set("tolerations[0].operator", "Exists")
			.set("management.credentialsSecret", "mqtt-management"));
		assertThat(rendered.named(Service.class, "mqtt-broker-service").getSpec().getPorts())
			.extracting(ServicePort::getName)
			.containsExactly("mqtt", "ws", "mqtts", "wss");
		var pod = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec();
		var container = pod.getContainers().get(0);
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SPRING_PROFILES_ACTIVE");
			assertThat(env.getValue()).isEqualTo("tls");
		});
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SPRING_SECURITY_USER_PASSWORD");
			assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mqtt-management");
		});
		assertThat(pod.getNodeSelector()).containsEntry("disktype", "ssd");
		assertThat(pod.getTolerations()).singleElement()
			.satisfies((toleration) -> assertThat(toleration.getKey()).isEqualTo("dedicated"));
		assertThat(rendered.one(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
		Map<String, Object> monitor = rendered.document("ServiceMonitor");
		assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(monitor.toString()).contains("namespace=monitoring")
			.contains("release=kube-prometheus-stack")
			.contains("path=/actuator/prometheus")
			.contains("port=management")
			.contains("interval=15s")
			.contains("app.kubernetes.io/component=management");
		Map<String, Object> rule = rendered.document("PrometheusRule");
		assertThat(rule.toString()).contains("MqttBrokerEngineFailure")
			.contains("MqttBrokerDown")
			.contains("MqttBrokerAuthenticationFailures")
			.contains("MqttBrokerDroppingMessages")
			.contains("MqttBrokerDisconnectStorm");
	}

	@Test
	void theHelmTestPodRoundTripsAMessageThroughTheMqttService(@TempDir Path copy) throws Exception {
		// helm template leaves hooks out: render a copy of the chart in which the test pod is a plain manifest.
		Path hook = CHART.resolve("templates/tests/test-connection.yaml");
		assertThat(Files.readString(hook)).contains("helm.sh/hook: test");
		copyChart(copy);
		Path plain = copy.resolve("templates/tests/test-connection.yaml");
		Files.writeString(plain, Files.readString(plain).replace("helm.sh/hook: test", "example.com/was-hook: test"));
		Rendered rendered = render(new Helm(copy).template()
			.withName("mqtt")
			.set("tests.credentialsSecret", "mqtt-test-user"));
		Pod test = rendered.one(Pod.class);
		var container = test.getSpec().getContainers().get(0);
		String script = String.join("\n", container.getCommand());
		assertThat(script).contains("mosquitto_sub").contains("mosquitto_pub").contains("host=mqtt-broker-service");
		assertThat(container.getEnv()).extracting((env) -> env.getValueFrom().getSecretKeyRef().getName())
			.containsOnly("mqtt-test-user");
		assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
	}

	private static void copyChart(Path target) throws Exception {
		try (var files = Files.walk(CHART)) {
			for (Path source : files.toList()) {
				Path destination = target.resolve(CHART.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	@Test
	void valuesOutsideTheSchemaAreRefused() {
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("service.type", "Public").call())
			.withMessageContaining("service.type");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("broker.maxKeepAlive", "forever").call())
			.withMessageContaining("maxKeepAlive");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("broker.engine", "hivemq").call())
			.withMessageContaining("engine");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("replicaCount", "0").call())
			.withMessageContaining("replicaCount");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template()
				.withName("mqtt")
				.set("replicaCount", "3")
				.set("cluster.password", "s3cret")
				.set("cluster.podAntiAffinity", "sometimes")
				.call())
			.withMessageContaining("podAntiAffinity");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("service.managementPort", "70000").call())
			.withMessageContaining("managementPort");
	}

	@Test
	void threeReplicasRenderAnArtemisClusterFoundThroughTheHeadlessService() throws Exception {
		Rendered rendered = render(new Helm(CHART).template()
			.withName("mqtt")
			.withNamespace("iot")
			.set("replicaCount", "3")
			.set("cluster.password", "cluster-s3cret"));
		StatefulSet statefulSet = rendered.one(StatefulSet.class);
		assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
		assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
		var pod = statefulSet.getSpec().getTemplate().getSpec();
		var container = pod.getContainers().get(0);
		Map<String, String> env = new java.util.HashMap<>();
		container.getEnv().stream().filter((e) -> e.getValue() != null).forEach((e) -> env.put(e.getName(), e.getValue()));
		assertThat(env).containsEntry("MQTT_ENGINE", "artemis")
			.containsEntry("MQTT_CLUSTER_ENABLED", "true")
			.containsEntry("MQTT_CLUSTER_NODE_NAME", "$(POD_NAME)")
			.containsEntry("MQTT_CLUSTER_PORT", "61616")
			.containsEntry("MQTT_CLUSTER_DNS_NAME", "mqtt-broker-service-headless.iot.svc.cluster.local")
			.containsEntry("MQTT_CLUSTER_ADVERTISED_HOST",
					"$(POD_NAME).mqtt-broker-service-headless.iot.svc.cluster.local");
		// $(POD_NAME) expands only if POD_NAME is defined before the variables that use it.
		List<String> names = container.getEnv().stream().map((e) -> e.getName()).toList();
		assertThat(names.indexOf("POD_NAME")).isLessThan(names.indexOf("MQTT_CLUSTER_NODE_NAME"));
		assertThat(container.getEnv()).anySatisfy((e) -> {
			assertThat(e.getName()).isEqualTo("MQTT_CLUSTER_PASSWORD");
			assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mqtt-broker-service-cluster");
			assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
		});
		assertThat(rendered.named(Secret.class, "mqtt-broker-service-cluster").getStringData())
			.containsEntry("password", "cluster-s3cret");
		assertThat(container.getPorts()).anySatisfy((port) -> {
			assertThat(port.getName()).isEqualTo("cluster");
			assertThat(port.getContainerPort()).isEqualTo(61616);
		});
		// Discovery through the headless Service, not-ready pods included; the cluster port is never on the
		// MQTT Service.
		Service headless = rendered.named(Service.class, "mqtt-broker-service-headless");
		assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
		assertThat(headless.getSpec().getPorts()).extracting(ServicePort::getName).contains("cluster");
		assertThat(rendered.named(Service.class, "mqtt-broker-service").getSpec().getPorts())
			.extracting(ServicePort::getName)
			.doesNotContain("cluster");
		// Spread over machines by default; a drain takes one node at a time.
		var antiAffinity = pod.getAffinity().getPodAntiAffinity();
		assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
			.satisfies((term) -> assertThat(term.getPodAffinityTerm().getTopologyKey())
				.isEqualTo("kubernetes.io/hostname"));
		PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class);
		assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
		assertThat(budget.getSpec().getMinAvailable()).isNull();
	}

	@Test
	void aClusterTakesItsPasswordFromAnExistingSecretAndCanRequireSeparateMachines() throws Exception {
		Rendered rendered = render(new Helm(CHART).template()
			.withName("mqtt")
			.set("replicaCount", "3")
			.set("cluster.existingSecret", "broker-cluster")
			.set("cluster.podAntiAffinity", "hard"));
		var pod = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec();
		assertThat(pod.getContainers().get(0).getEnv()).anySatisfy((e) -> {
			assertThat(e.getName()).isEqualTo("MQTT_CLUSTER_PASSWORD");
			assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("broker-cluster");
		});
		assertThat(rendered.documents().stream()
			.filter((d) -> "Secret".equals(d.get("kind")))
			.map((d) -> String.valueOf(((Map<?, ?>) d.get("metadata")).get("name")))).doesNotContain("mqtt-broker-service-cluster");
		assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
			.singleElement()
			.satisfies((term) -> assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
	}

	@Test
	void aClusterWithoutArtemisOrWithoutAPasswordFailsWithAClearMessage() {
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template()
				.withName("mqtt")
				.set("replicaCount", "3")
				.set("broker.engine", "moquette")
				.set("cluster.password", "s3cret")
				.call())
			.withMessageContaining("replicaCount 3 needs broker.engine artemis");
		assertThatException()
			.isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("replicaCount", "2").call())
			.withMessageContaining("cluster.existingSecret");
	}

	@Test
	void theManifestCheckRejectsAnUnknownField() {
		Map<String, Object> service = Map.of("apiVersion", "v1", "kind", "Service", "metadata", Map.of("name", "x"),
				"spec", Map.of("ports", List.of(Map.of("port", 1883, "targetPortt", "mqtt"))));
		assertThatException().isThrownBy(() -> validate(service)).withMessageContaining("targetPortt");
	}

	@Test
	void tlsWithoutASecretFailsWithAClearMessage() {
		assertThatException().isThrownBy(() -> new Helm(CHART).template().withName("mqtt").set("tls.enabled", "true").call())
			.withMessageContaining("tls.enabled needs tls.secretName");
	}

	private static Rendered render(com.marcnuri.helm.TemplateCommand command) throws Exception {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(command.call())) {
			if (document instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				Map<String, Object> object = (Map<String, Object>) map;
				documents.add(object);
				validate(object);
			}
		}
		return new Rendered(documents);
	}

	private static void validate(Map<String, Object> object) {
		Class<?> type = switch (String.valueOf(object.get("kind"))) {
			case "StatefulSet" -> StatefulSet.class;
			case "Service" -> Service.class;
			case "ConfigMap" -> ConfigMap.class;
			case "Secret" -> Secret.class;
			case "PodDisruptionBudget" -> PodDisruptionBudget.class;
			case "Pod" -> Pod.class;
			case "ServiceMonitor", "PrometheusRule" -> null;
			default -> throw new AssertionError("Unexpected kind " + object.get("kind"));
		};
		if (type != null) {
			STRICT.convertValue(object, type);
		}
	}

	private record Rendered(List<Map<String, Object>> documents) {

		List<String> kinds() {
			return this.documents.stream().map((document) -> String.valueOf(document.get("kind"))).toList();
		}

		Map<String, Object> document(String kind) {
			return this.documents.stream().filter((candidate) -> kind.equals(candidate.get("kind"))).findFirst().orElseThrow();
		}

		<T> T named(Class<T> type, String name) {
			Map<String, Object> document = this.documents.stream()
				.filter((candidate) -> type.getSimpleName().equals(candidate.get("kind"))
						&& name.equals(((Map<?, ?>) candidate.get("metadata")).get("name")))
				.findFirst()
				.orElseThrow();
			return STRICT.convertValue(document, type);
		}

		<T> T one(Class<T> type) {
			Map<String, Object> document = this.documents.stream()
				.filter((candidate) -> type.getSimpleName().equals(candidate.get("kind")))
				.findFirst()
				.orElseThrow();
			return STRICT.convertValue(document, type);
		}

	}

}
