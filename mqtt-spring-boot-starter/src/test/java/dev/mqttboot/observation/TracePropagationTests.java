package dev.mqttboot.observation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mqttboot.client.MqttOperations;
import dev.mqttboot.client.PublishOptions;
import dev.mqttboot.listener.MqttListener;
import dev.mqttboot.listener.MqttMessageHeaders;
import dev.mqttboot.support.MosquittoBroker;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observation of template publishes and listener invocations with a real tracer (Micrometer Tracing's OpenTelemetry
 * bridge, W3C propagation, spans exported in memory): over MQTT 5 (Mosquitto, and the embedded broker on Artemis) the
 * listener's span is the child of the publisher's, in one trace; over MQTT 3.1.1 (the embedded Moquette broker) there
 * are no user properties, so each side has a trace of its own.
 */
class TracePropagationTests {

	private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

	@TempDir
	Path directory;

	@Test
	void overMqtt5TheListenerContinuesThePublishersTrace() throws Exception {
		MosquittoBroker.assumeInstalled();
		try (MosquittoBroker mosquitto = MosquittoBroker.start(this.directory);
				ConfigurableApplicationContext context = start("mqtt.broker.enabled=false",
						"mqtt.client.url=" + mosquitto.url(), "mqtt.client.protocol-version=5")) {
			assertOneTrace(context, "orders/42");
		}
	}

	@Test
	void overMqtt5OnTheEmbeddedArtemisBrokerTheListenerContinuesThePublishersTrace() throws Exception {
		try (ConfigurableApplicationContext context = start("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0",
				"mqtt.broker.engine=artemis", "mqtt.client.protocol-version=5")) {
			assertOneTrace(context, "orders/43");
		}
	}

	private static void assertOneTrace(ConfigurableApplicationContext context, String topic) {
		Orders orders = awaitListening(context);
		context.getBean(MqttOperations.class)
			.publishAndWait(topic, "order", PublishOptions.builder().qos(1).userProperty("tenant", "t1").build(),
					Duration.ofSeconds(10));
		SpanData consumer = awaitSpan(context, SpanKind.CONSUMER, topic);
		SpanData producer = awaitSpan(context, SpanKind.PRODUCER, topic);
		assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
		assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
		assertThat(producer.getName()).isEqualTo("default publish");
		assertThat(consumer.getName()).isEqualTo("orders process");
		assertThat(producer.getAttributes().get(AttributeKey.stringKey("mqtt.qos"))).isEqualTo("1");
		assertThat(producer.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("success");
		assertThat(consumer.getAttributes().get(AttributeKey.stringKey("mqtt.listener"))).isEqualTo("orders");
		Received received = orders.received("order");
		assertThat(received.userProperties()).containsEntry("tenant", "t1").containsKey("traceparent");
		assertThat(received.userProperties().get("traceparent")).contains(producer.getTraceId());
		assertThat(received.traceId()).isEqualTo(producer.getTraceId());
	}

	@Test
	void overMqtt311EachSideHasATraceOfItsOwn() throws Exception {
		try (ConfigurableApplicationContext context = start("mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0")) {
			Orders orders = awaitListening(context);
			context.getBean(MqttOperations.class)
				.publishAndWait("orders/7", "order", PublishOptions.qos(1), Duration.ofSeconds(10));
			SpanData consumer = awaitSpan(context, SpanKind.CONSUMER, "orders/7");
			SpanData producer = awaitSpan(context, SpanKind.PRODUCER, "orders/7");
			assertThat(consumer.getTraceId()).isNotEqualTo(producer.getTraceId());
			assertThat(orders.received("order").userProperties()).isEmpty();
		}
	}

	@Test
	void observationIsOffUnlessEnabled() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.broker.host=127.0.0.1", "mqtt.broker.port=0")
			.run()) {
			awaitListening(context);
			context.getBean(MqttOperations.class)
				.publishAndWait("orders/off", "order", PublishOptions.qos(1), Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(Orders.class).received.stream().anyMatch((r) -> r.payload().equals("order")));
			assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).isEmpty();
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "mqtt.client.observation-enabled=true",
					"mqtt.listener.observation-enabled=true")
			.properties(properties)
			.run();
	}

	/** Probes until the listener's subscription is in place. */
	private static Orders awaitListening(ConfigurableApplicationContext context) {
		Orders orders = context.getBean(Orders.class);
		MqttOperations template = context.getBean(MqttOperations.class);
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
			template.publish("orders/probe", "probe", PublishOptions.qos(0));
			assertThat(orders.received).anyMatch((r) -> r.payload().equals("probe"));
		});
		return orders;
	}

	private static SpanData awaitSpan(ConfigurableApplicationContext context, SpanKind kind, String topic) {
		InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(exporter.getFinishedSpanItems())
				.anyMatch((span) -> span.getKind() == kind && topic.equals(span.getAttributes().get(DESTINATION))));
		return exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == kind && topic.equals(span.getAttributes().get(DESTINATION)))
			.findFirst()
			.orElseThrow();
	}

	record Received(String payload, Map<String, String> userProperties, String traceId) {
	}

	static class Orders {

		final List<Received> received = new CopyOnWriteArrayList<>();

		private final Tracer tracer;

		Orders(Tracer tracer) {
			this.tracer = tracer;
		}

		@MqttListener(id = "orders", topics = "orders/+", qos = 1)
		void onOrder(String payload,
				@Header(name = MqttMessageHeaders.USER_PROPERTIES, required = false) Map<String, String> properties) {
			Span current = this.tracer.currentSpan();
			this.received.add(new Received(payload, (properties != null) ? properties : Map.of(),
					(current != null) ? current.context().traceId() : null));
		}

		Received received(String payload) {
			return this.received.stream().filter((r) -> r.payload().equals(payload)).findFirst().orElseThrow();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		OtelCurrentTraceContext otelCurrentTraceContext() {
			return new OtelCurrentTraceContext();
		}

		@Bean
		InMemorySpanExporter spanExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		SdkTracerProvider sdkTracerProvider(InMemorySpanExporter exporter) {
			return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
		}

		@Bean
		Tracer tracer(SdkTracerProvider provider, OtelCurrentTraceContext currentTraceContext) {
			return new OtelTracer(provider.get("test"), currentTraceContext, (event) -> {
			}, new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
		}

		@Bean
		ObservationRegistry observationRegistry(Tracer tracer, SdkTracerProvider provider) {
			OtelPropagator propagator = new OtelPropagator(
					ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test"));
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

		@Bean
		Orders orders(Tracer tracer) {
			return new Orders(tracer);
		}

	}

}
