package dev.mqttboot.brokerservice;

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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The Helm chart, checked with a real Helm (helm-java) and the fabric8 Kubernetes model: it lints, renders with
 * default values and with TLS plus a ServiceMonitor, and every rendered object is a valid Kubernetes object (unknown
 * fields rejected).
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
		var container = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement()
			.satisfies((claim) -> assertThat(claim.getMetadata().getName()).isEqualTo("data"));
		assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsEntry("prometheus.io/scrape", "true");
		assertThat(rendered.one(Service.class).getSpec().getPorts()).extracting(ServicePort::getName)
			.containsExactly("mqtt", "ws", "management");
		assertThat(rendered.one(ConfigMap.class).getData()).containsKey("application.yml");
		assertThat(rendered.one(Secret.class).getStringData()).containsKey("users");
		assertThat(rendered.kinds()).doesNotContain("ServiceMonitor");
	}

	@Test
	void tlsAndServiceMonitorValuesRenderTheSecurePortsAndTheMonitor() throws Exception {
		Rendered rendered = render(new Helm(CHART).template()
			.withName("mqtt")
			.set("tls.enabled", "true")
			.set("tls.secretName", "mqtt-tls")
			.set("metrics.serviceMonitor.enabled", "true"));
		assertThat(rendered.one(Service.class).getSpec().getPorts()).extracting(ServicePort::getName)
			.containsExactly("mqtt", "ws", "mqtts", "wss", "management");
		var container = rendered.one(StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(container.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SPRING_PROFILES_ACTIVE");
			assertThat(env.getValue()).isEqualTo("tls");
		});
		Map<String, Object> monitor = rendered.documents().stream()
			.filter((document) -> "ServiceMonitor".equals(document.get("kind")))
			.findFirst()
			.orElseThrow();
		assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(monitor.toString()).contains("path=/actuator/prometheus").contains("port=management");
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
			case "ServiceMonitor" -> null;
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

		<T> T one(Class<T> type) {
			Map<String, Object> document = this.documents.stream()
				.filter((candidate) -> type.getSimpleName().equals(candidate.get("kind")))
				.findFirst()
				.orElseThrow();
			return STRICT.convertValue(document, type);
		}

	}

}
