package dev.mqttboot.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How to publish one message: QoS, retained, and the MQTT 5 properties (refused on an MQTT 3.1.1 connection).
 *
 * @param qos the QoS level, 0 to 2, or {@code null} for the connection's default
 * @param retained whether the broker keeps the message for later subscribers
 * @param userProperties MQTT 5 user properties (empty for none)
 * @param contentType MQTT 5 content type, or {@code null}
 * @param responseTopic MQTT 5 response topic, or {@code null}
 * @param correlationData MQTT 5 correlation data, or {@code null}
 * @param messageExpiry MQTT 5 message expiry interval, or {@code null}
 */
public record PublishOptions(@Nullable Integer qos, boolean retained, Map<String, String> userProperties,
		@Nullable String contentType, @Nullable String responseTopic, byte @Nullable [] correlationData,
		@Nullable Duration messageExpiry) {

	/** The connection's default QoS, not retained, no MQTT 5 properties. */
	public static final PublishOptions DEFAULTS = builder().build();

	public PublishOptions {
		userProperties = Map.copyOf(userProperties);
	}

	/**
	 * Options with the given QoS.
	 * @param qos 0, 1 or 2
	 * @return the options
	 */
	public static PublishOptions qos(int qos) {
		return builder().qos(qos).build();
	}

	/**
	 * Whether any MQTT 5-only option is set.
	 * @return {@code true} when the options need an MQTT 5 connection
	 */
	public boolean usesMqtt5Properties() {
		return !this.userProperties.isEmpty() || this.contentType != null || this.responseTopic != null
				|| this.correlationData != null || this.messageExpiry != null;
	}

	/**
	 * A builder, for options beyond QoS.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** Builds {@link PublishOptions}. */
	public static final class Builder {

		private @Nullable Integer qos;

		private boolean retained;

		private final Map<String, String> userProperties = new LinkedHashMap<>();

		private @Nullable String contentType;

		private @Nullable String responseTopic;

		private byte @Nullable [] correlationData;

		private @Nullable Duration messageExpiry;

		private Builder() {
		}

		/**
		 * @param qos 0, 1 or 2
		 * @return this builder
		 */
		public Builder qos(int qos) {
			this.qos = qos;
			return this;
		}

		/**
		 * @param retained whether the broker retains the message
		 * @return this builder
		 */
		public Builder retained(boolean retained) {
			this.retained = retained;
			return this;
		}

		/**
		 * Add an MQTT 5 user property.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder userProperty(String name, String value) {
			this.userProperties.put(name, value);
			return this;
		}

		/**
		 * @param contentType MQTT 5 content type, e.g. {@code application/json}
		 * @return this builder
		 */
		public Builder contentType(@Nullable String contentType) {
			this.contentType = contentType;
			return this;
		}

		/**
		 * @param responseTopic MQTT 5 response topic for a request/response exchange
		 * @return this builder
		 */
		public Builder responseTopic(@Nullable String responseTopic) {
			this.responseTopic = responseTopic;
			return this;
		}

		/**
		 * @param correlationData MQTT 5 correlation data
		 * @return this builder
		 */
		public Builder correlationData(byte @Nullable [] correlationData) {
			this.correlationData = correlationData;
			return this;
		}

		/**
		 * @param messageExpiry MQTT 5 message expiry interval
		 * @return this builder
		 */
		public Builder messageExpiry(@Nullable Duration messageExpiry) {
			this.messageExpiry = messageExpiry;
			return this;
		}

		/**
		 * @return the options
		 */
		public PublishOptions build() {
			return new PublishOptions(this.qos, this.retained, this.userProperties, this.contentType,
					this.responseTopic, this.correlationData, this.messageExpiry);
		}

	}

}
