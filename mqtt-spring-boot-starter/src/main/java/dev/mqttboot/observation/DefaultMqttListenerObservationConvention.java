package dev.mqttboot.observation;

import dev.mqttboot.observation.MqttObservationDocumentation.Keys;
import io.micrometer.common.KeyValues;

/**
 * The default convention of listener invocations: observation {@code mqtt.listener}, contextual name
 * {@code <listener id> process}, keys as {@link MqttObservationDocumentation#LISTENER_PROCESS} lists them.
 */
public class DefaultMqttListenerObservationConvention implements MqttListenerObservationConvention {

	/** A shared instance. */
	public static final DefaultMqttListenerObservationConvention INSTANCE = new DefaultMqttListenerObservationConvention();

	@Override
	public String getName() {
		return "mqtt.listener";
	}

	@Override
	public String getContextualName(MqttListenerContext context) {
		return context.getListenerId() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MqttListenerContext context) {
		return KeyValues.of(Keys.MESSAGING_SYSTEM.withValue("mqtt"), Keys.MESSAGING_OPERATION.withValue("process"),
				Keys.CLIENT.withValue(context.getClientName()), Keys.LISTENER.withValue(context.getListenerId()),
				Keys.QOS.withValue(Integer.toString(context.getQos())),
				Keys.OUTCOME.withValue((context.getError() == null) ? "success" : "failure"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MqttListenerContext context) {
		return KeyValues.of(Keys.DESTINATION.withValue(context.getTopic()));
	}

}
