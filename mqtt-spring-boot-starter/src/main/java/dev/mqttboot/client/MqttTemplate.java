package dev.mqttboot.client;

import dev.mqttboot.core.MqttProtocolVersion;
import dev.mqttboot.core.TopicLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mqttboot.core.TopicSyntax;
import dev.mqttboot.observation.DefaultMqttPublishObservationConvention;
import dev.mqttboot.observation.MqttObservationDocumentation;
import dev.mqttboot.observation.MqttPublishContext;
import dev.mqttboot.observation.MqttPublishObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.MimeType;

import org.jspecify.annotations.Nullable;

/**
 * The default {@link MqttOperations}: validates, converts the payload, and publishes through a named
 * {@link MqttConnection}. With observation enabled, each publish is a Micrometer {@link Observation}
 * ({@code mqtt.template}); over MQTT 5 the trace context it carries is sent as {@code traceparent} /
 * {@code tracestate} user properties, while over MQTT 3.1.1, which has no properties, it stays with the publisher.
 */
public class MqttTemplate implements MqttOperations {

	private final MqttConnections connections;

	private final MessageConverter converter;

	private final MqttConnection connection;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private boolean observationEnabled;

	private @Nullable MqttPublishObservationConvention observationConvention;

	/**
	 * Create a template publishing through the default connection.
	 * @param connections the application's connections
	 * @param converter converts payloads other than {@code byte[]} and {@code String}
	 */
	public MqttTemplate(MqttConnections connections, MessageConverter converter) {
		this(connections, converter, MqttConnections.DEFAULT);
	}

	/**
	 * Create a template publishing through a named connection.
	 * @param connections the application's connections
	 * @param converter converts payloads other than {@code byte[]} and {@code String}
	 * @param connectionName the connection to publish through
	 */
	public MqttTemplate(MqttConnections connections, MessageConverter converter, String connectionName) {
		this.connections = connections;
		this.converter = converter;
		this.connection = connections.get(connectionName);
	}

	@Override
	public CompletableFuture<Void> publish(String topic, Object payload) {
		return publish(topic, payload, PublishOptions.DEFAULTS);
	}

	@Override
	public CompletableFuture<Void> publish(String topic, Object payload, PublishOptions options) {
		String problem = TopicSyntax.checkName(topic, TopicLimits.PROTOCOL);
		if (problem != null) {
			throw new IllegalArgumentException("Cannot publish to '" + topic + "': " + problem);
		}
		if (options.qos() != null && (options.qos() < 0 || options.qos() > 2)) {
			throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + options.qos());
		}
		if (options.usesMqtt5Properties() && this.connection.protocolVersion() != MqttProtocolVersion.V5) {
			throw new IllegalArgumentException("User properties, content type, response topic, correlation data and "
					+ "message expiry need MQTT 5; MQTT client '" + this.connection.name()
					+ "' speaks MQTT 3.1.1 (set its protocol-version to 5)");
		}
		Converted converted = convert(payload);
		if (converted.bytes().length > this.connection.maxPayloadSize()) {
			throw new IllegalArgumentException("Payload of " + converted.bytes().length + " bytes is over the "
					+ this.connection.maxPayloadSize() + "-byte maximum of MQTT client '" + this.connection.name()
					+ "' (max-payload-size)");
		}
		PublishOptions effective = options;
		if (converted.contentType() != null && options.contentType() == null
				&& this.connection.protocolVersion() == MqttProtocolVersion.V5) {
			effective = new PublishOptions(options.qos(), options.retained(), options.userProperties(),
					converted.contentType(), options.responseTopic(), options.correlationData(),
					options.messageExpiry());
		}
		if (!this.observationEnabled || this.observationRegistry.isNoop()) {
			return this.connection.publish(topic, converted.bytes(), effective);
		}
		return observed(topic, converted.bytes(), effective);
	}

	private CompletableFuture<Void> observed(String topic, byte[] payload, PublishOptions options) {
		int qos = (options.qos() != null) ? options.qos() : this.connection.defaultQos();
		MqttPublishContext context = new MqttPublishContext(topic, this.connection.name(), qos);
		Observation observation = MqttObservationDocumentation.TEMPLATE_PUBLISH
			.observation(this.observationConvention, DefaultMqttPublishObservationConvention.INSTANCE, () -> context,
					this.observationRegistry)
			.start();
		try {
			return this.connection.publish(topic, payload, withTraceContext(options, context.getCarrier()))
				.whenComplete((done, failure) -> {
					if (failure != null) {
						observation.error(failure);
					}
					observation.stop();
				});
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
	}

	/** MQTT 5 only: the trace context as user properties, unless the caller set the same names itself. */
	private PublishOptions withTraceContext(PublishOptions options, @Nullable Map<String, String> traceContext) {
		if (traceContext == null || traceContext.isEmpty() || this.connection.protocolVersion() != MqttProtocolVersion.V5) {
			return options;
		}
		Map<String, String> userProperties = new LinkedHashMap<>(traceContext);
		userProperties.putAll(options.userProperties());
		return new PublishOptions(options.qos(), options.retained(), userProperties, options.contentType(),
				options.responseTopic(), options.correlationData(), options.messageExpiry());
	}

	@Override
	public void publishAndWait(String topic, Object payload, PublishOptions options, Duration timeout) {
		try {
			publish(topic, payload, options).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof MqttPublishException publishFailure) ? publishFailure
					: new MqttPublishException("Publish to '" + topic + "' failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new MqttPublishException("Publish to '" + topic + "' was not acknowledged within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MqttPublishException("Interrupted while publishing to '" + topic + "'", ex);
		}
	}

	@Override
	public MqttOperations forClient(String connectionName) {
		MqttTemplate template = new MqttTemplate(this.connections, this.converter, connectionName);
		template.setObservationRegistry(this.observationRegistry);
		template.setObservationEnabled(this.observationEnabled);
		template.setObservationConvention(this.observationConvention);
		return template;
	}

	/**
	 * Observe publishes (off by default, like Spring Kafka's template); needs an {@link ObservationRegistry}.
	 * @param observationEnabled whether each publish is observed
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	/** @param observationRegistry where publish observations go */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
	}

	/** @param observationConvention replaces {@link DefaultMqttPublishObservationConvention}; {@code null} for it */
	public void setObservationConvention(@Nullable MqttPublishObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/** @return the connection this template publishes through */
	public String getConnectionName() {
		return this.connection.name();
	}

	private Converted convert(@Nullable Object payload) {
		if (payload instanceof byte[] bytes) {
			return new Converted(bytes, null);
		}
		if (payload instanceof String text) {
			return new Converted(text.getBytes(StandardCharsets.UTF_8), null);
		}
		if (payload == null) {
			throw new IllegalArgumentException("Payload must not be null (use an empty byte[] for an empty message)");
		}
		Message<?> message = this.converter.toMessage(payload, new MessageHeaders(null));
		if (message == null || !(message.getPayload() instanceof byte[] bytes)) {
			throw new IllegalArgumentException(
					"No message converter can turn a " + payload.getClass().getName() + " into bytes");
		}
		Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
		return new Converted(bytes, (contentType != null) ? MimeType.valueOf(contentType.toString())
			.toString() : null);
	}

	private record Converted(byte[] bytes, @Nullable String contentType) {
	}

}
