package dev.mqttboot.autoconfigure;

import java.util.Locale;

import dev.mqttboot.core.MqttProtocolVersion;

import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@code protocol-version} as users write it, {@code 3.1.1} or {@code 5} (also {@code 5.0} and the enum names),
 * and refuses anything else naming the accepted values.
 */
final class MqttProtocolVersionConverter implements Converter<String, MqttProtocolVersion> {

	@Override
	public MqttProtocolVersion convert(String source) {
		String value = source.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		return switch (value) {
			case "3.1.1", "V3_1_1" -> MqttProtocolVersion.V3_1_1;
			case "5", "5.0", "V5" -> MqttProtocolVersion.V5;
			default -> throw new IllegalArgumentException(
					"'" + source + "' is not a supported MQTT protocol version; use 3.1.1 or 5");
		};
	}

}
