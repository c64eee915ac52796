package dev.mqttboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method as the target of MQTT messages on the given topics. Topics may use MQTT wildcards, {@code ${...}}
 * placeholders, {@code #{...}} SpEL, and topic variables such as {@code sensors/{deviceId}/temperature} (subscribed as
 * {@code sensors/+/temperature}; bind with {@link TopicVariable}); a last variable written {@code {*rest}} takes the
 * remaining levels ({@code #}).
 * <p>
 * Parameters: the payload (any type: {@code byte[]}, {@code String}, records and POJOs from JSON, or
 * {@code Message<T>}), {@code @Header} with the names in {@link MqttMessageHeaders}, and {@link TopicVariable}s. A
 * non-null return value is published as a reply: to the response topic of an MQTT 5 request that carries one (with
 * its correlation data), otherwise to the {@code @SendTo} topic (variables allowed).
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(MqttListeners.class)
// The annotated methods are invoked reflectively: an AOT build registers reflection hints for them, as for
// @KafkaListener.
@Reflective
public @interface MqttListener {

	/**
	 * The topic filters or templates to subscribe to.
	 * @return the topics
	 */
	String[] topics();

	/**
	 * The QoS to subscribe with.
	 * @return 0, 1 or 2
	 */
	int qos() default 1;

	/**
	 * A unique id for the endpoint (for the registry, metrics and the actuator endpoint). Default: bean name and
	 * method name.
	 * @return the id
	 */
	String id() default "";

	/**
	 * The client connection to subscribe on.
	 * @return the connection name
	 */
	String client() default "default";

	/**
	 * Makes the subscription shared ({@code $share/<group>/<filter>}) for brokers that support it.
	 * @return the group, or empty for a normal subscription
	 */
	String group() default "";

	/**
	 * How many messages are processed in parallel; 1 keeps arrival order. Placeholders allowed.
	 * @return the concurrency
	 */
	String concurrency() default "1";

	/**
	 * Whether the endpoint starts with the application. Placeholders allowed.
	 * @return {@code "true"} or {@code "false"}
	 */
	String autoStartup() default "true";

	/**
	 * Name of an {@link MqttListenerErrorHandler} bean for this listener. Default: log and count.
	 * @return the bean name, or empty
	 */
	String errorHandler() default "";

}
