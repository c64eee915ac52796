package dev.mqttboot.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method needs these programs from the machine: without them it fails under {@code CI=true} and is
 * skipped elsewhere (see {@link RequiredTool}).
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiredToolsCondition.class)
public @interface RequiresTools {

	/** @return the programs needed */
	RequiredTool[] value();

}
