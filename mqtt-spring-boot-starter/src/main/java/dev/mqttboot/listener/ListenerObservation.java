package dev.mqttboot.listener;

import java.util.function.Supplier;

import dev.mqttboot.client.ReceivedMessage;
import dev.mqttboot.observation.DefaultMqttListenerObservationConvention;
import dev.mqttboot.observation.MqttListenerContext;
import dev.mqttboot.observation.MqttListenerObservationConvention;
import dev.mqttboot.observation.MqttObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.jspecify.annotations.Nullable;

/**
 * Runs a listener invocation inside an observation ({@code mqtt.listener}): a tracing handler continues the trace the
 * message carries in its {@code traceparent} user property, and whatever the listener publishes (a reply, a dead
 * letter) is observed as its child.
 */
final class ListenerObservation {

	private final ObservationRegistry registry;

	private final @Nullable MqttListenerObservationConvention convention;

	ListenerObservation(ObservationRegistry registry, @Nullable MqttListenerObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * @param endpoint the listener
	 * @param message the message it processes
	 * @param invocation invokes it and answers its failure, or {@code null} on success
	 * @return what the invocation answered
	 */
	@Nullable Throwable observe(MqttListenerEndpoint endpoint, ReceivedMessage message,
			Supplier<@Nullable Throwable> invocation) {
		MqttListenerContext context = new MqttListenerContext(message.topic(), message.qos(),
				message.userProperties(), endpoint.id(), endpoint.client());
		Observation observation = MqttObservationDocumentation.LISTENER_PROCESS
			.observation(this.convention, DefaultMqttListenerObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			Throwable failure = invocation.get();
			if (failure != null) {
				observation.error(failure);
			}
			return failure;
		}
		finally {
			observation.stop();
		}
	}

}
