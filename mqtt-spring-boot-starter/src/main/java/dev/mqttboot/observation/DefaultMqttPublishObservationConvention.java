package dev.mqttboot.observation;

import dev.mqttboot.observation.MqttObservationDocumentation.Keys;
import io.micrometer.common.KeyValues;

/**
 * The default convention of template publishes: observation {@code mqtt.template}, contextual name
 * {@code <client> publish}, keys as {@link MqttObservationDocumentation#TEMPLATE_PUBLISH} lists them.
 */
public class DefaultMqttPublishObservationConvention implements MqttPublishObservationConvention {

	/** A shared instance. */
	public static final DefaultMqttPublishObservationConvention INSTANCE = new DefaultMqttPublishObservationConvention();

	@Override
	public String getName() {
		return "mqtt.template";
	}

	@Override
	public String getContextualName(MqttPublishContext context) {
		return context.getClientName() + " publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(MqttPublishContext context) {
		return KeyValues.of(Keys.MESSAGING_SYSTEM.withValue("mqtt"), Keys.MESSAGING_OPERATION.withValue("publish"),
				Keys.CLIENT.withValue(context.getClientName()), Keys.QOS.withValue(Integer.toString(context.getQos())),
				Keys.OUTCOME.withValue((context.getError() == null) ? "success" : "failure"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(MqttPublishContext context) {
		return KeyValues.of(Keys.DESTINATION.withValue(context.getTopic()));
	}

}
