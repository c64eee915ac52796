package dev.mqttboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The starter's observations and their keys. Low-cardinality keys become meter tags; the topic is high-cardinality
 * (span attribute only).
 */
public enum MqttObservationDocumentation implements ObservationDocumentation {

	/** A template publish, from the call until the broker's acknowledgement (QoS 0: written). */
	TEMPLATE_PUBLISH {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMqttPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { Keys.MESSAGING_SYSTEM, Keys.MESSAGING_OPERATION, Keys.CLIENT, Keys.QOS,
					Keys.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { Keys.DESTINATION };
		}
	},

	/** An {@code @MqttListener} invocation (retries included). */
	LISTENER_PROCESS {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMqttListenerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { Keys.MESSAGING_SYSTEM, Keys.MESSAGING_OPERATION, Keys.CLIENT, Keys.LISTENER,
					Keys.QOS, Keys.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { Keys.DESTINATION };
		}
	};

	/** The keys of both observations. */
	public enum Keys implements KeyName {

		/** Always {@code mqtt}. */
		MESSAGING_SYSTEM("messaging.system"),
		/** {@code publish} or {@code process}. */
		MESSAGING_OPERATION("messaging.operation"),
		/** The configured connection name. */
		CLIENT("mqtt.client"),
		/** The listener id. */
		LISTENER("mqtt.listener"),
		/** The QoS: 0, 1 or 2. */
		QOS("mqtt.qos"),
		/** {@code success} or {@code failure}. */
		OUTCOME("outcome"),
		/** The topic name (high cardinality). */
		DESTINATION("messaging.destination.name");

		private final String name;

		Keys(String name) {
			this.name = name;
		}

		@Override
		public String asString() {
			return this.name;
		}

	}

}
