package dev.mqttboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a variable of the listener's topic template (e.g. {@code deviceId} in {@code sensors/{deviceId}/temp}) to a
 * parameter, converted to its type (String, numbers, UUID, enums, ...) by the conversion service.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TopicVariable {

	/**
	 * The variable name.
	 * @return the name
	 */
	String value();

}
