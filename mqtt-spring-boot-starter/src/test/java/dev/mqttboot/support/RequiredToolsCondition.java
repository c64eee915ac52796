package dev.mqttboot.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Evaluates {@link RequiresTools}: disabled, with how to install them, when programs are missing; under
 * {@code CI=true} the evaluation fails instead, and with it the tests.
 */
class RequiredToolsCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		List<RequiredTool> missing = new ArrayList<>();
		context.getElement()
			.flatMap((element) -> AnnotationSupport.findAnnotation(element, RequiresTools.class))
			.ifPresent((annotation) -> {
				for (RequiredTool tool : annotation.value()) {
					if (!tool.installed()) {
						missing.add(tool);
					}
				}
			});
		if (missing.isEmpty()) {
			return ConditionEvaluationResult.enabled("every required tool is installed");
		}
		if (RequiredTool.inCi()) {
			throw new AssertionError("Missing " + missing + "; CI must install them (see .ci/run)");
		}
		return ConditionEvaluationResult.disabled("Not installed: " + missing + "; skipping");
	}

}
