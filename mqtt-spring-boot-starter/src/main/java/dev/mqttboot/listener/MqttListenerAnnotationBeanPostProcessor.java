package dev.mqttboot.listener;

import org.springframework.beans.factory.config.BeanExpressionResolver;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

import org.jspecify.annotations.Nullable;

/**
 * Turns {@link MqttListener} annotations (also repeated, meta-annotated, and on proxied beans) into
 * {@link MqttListenerEndpoint}s: resolves placeholders and SpEL, parses the topic templates, checks the method's
 * parameters, and registers the endpoints once all singletons exist. Every mistake found here stops the start-up with a
 * message naming the bean, the method and what is wrong.
 */
public class MqttListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	@SuppressWarnings("NullAway.Init") // set by setBeanFactory before any other call
	private ConfigurableBeanFactory beanFactory;

	private final List<Candidate> candidates = new ArrayList<>();

	private @Nullable DefaultMessageHandlerMethodFactory handlerMethodFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, Set<MqttListener>> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<MqttListener>>) (method) -> {
					Set<MqttListener> listeners = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							MqttListener.class, MqttListeners.class);
					return listeners.isEmpty() ? null : listeners;
				});
		annotated.forEach((method, listeners) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			int index = 0;
			for (MqttListener listener : listeners) {
				this.candidates.add(new Candidate(bean, beanName, invocable, listener, index++));
			}
		});
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		MqttListenerEndpointRegistry registry = this.beanFactory.getBean(MqttListenerEndpointRegistry.class);
		for (Candidate candidate : this.candidates) {
			registry.register(createEndpoint(candidate));
		}
		this.candidates.clear();
	}

	private MqttListenerEndpoint createEndpoint(Candidate candidate) {
		MqttListener listener = candidate.listener();
		String where = candidate.beanName() + "." + candidate.method().getName();
		try {
			List<TopicTemplate> topics = new ArrayList<>();
			Set<String> variables = new LinkedHashSet<>();
			for (String topic : listener.topics()) {
				TopicTemplate template = TopicTemplate.parse(resolve(topic));
				topics.add(template);
				variables.addAll(template.variableNames());
			}
			if (topics.isEmpty()) {
				throw new IllegalStateException("no topics");
			}
			if (listener.qos() < 0 || listener.qos() > 2) {
				throw new IllegalStateException("qos " + listener.qos() + " is not 0, 1 or 2");
			}
			checkParameters(candidate.method(), variables);
			String id = StringUtils.hasText(listener.id()) ? resolve(listener.id())
					: where + ((candidate.index() > 0) ? "#" + candidate.index() : "");
			int concurrency = Integer.parseInt(resolve(listener.concurrency()).trim());
			if (concurrency < 1) {
				throw new IllegalStateException("concurrency " + concurrency + " is below 1");
			}
			SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(candidate.method(), SendTo.class);
			String replyTopic = (sendTo != null && sendTo.value().length > 0) ? resolve(sendTo.value()[0]) : null;
			return new MqttListenerEndpoint(id, topics, listener.qos(), resolve(listener.client()),
					resolve(listener.group()), concurrency, Boolean.parseBoolean(resolve(listener.autoStartup())),
					invocable(candidate), errorHandler(listener), replyTopic);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Invalid @MqttListener on " + where + ": " + ex.getMessage(), ex);
		}
	}

	private static void checkParameters(Method method, Set<String> variables) {
		int payloads = 0;
		for (java.lang.reflect.Parameter parameter : method.getParameters()) {
			TopicVariable variable = parameter.getAnnotation(TopicVariable.class);
			if (variable != null) {
				if (!variables.contains(variable.value())) {
					throw new IllegalStateException("@TopicVariable(\"" + variable.value() + "\") is not in the "
							+ "topic templates (variables: " + variables + ")");
				}
			}
			else if (!parameter.isAnnotationPresent(Header.class) && !parameter.isAnnotationPresent(Headers.class)
					&& !MessageHeaders.class.isAssignableFrom(parameter.getType())
					&& !Message.class.isAssignableFrom(parameter.getType()) && ++payloads > 1) {
				throw new IllegalStateException("parameter '" + parameter.getName() + "' cannot be bound: only one "
						+ "parameter can be the payload; annotate the others with @Header or @TopicVariable");
			}
		}
	}

	/** The endpoint's own error handler, or {@code null} for the container factory's. */
	private @Nullable MqttListenerErrorHandler errorHandler(MqttListener listener) {
		String name = resolve(listener.errorHandler());
		if (!StringUtils.hasText(name)) {
			return null;
		}
		try {
			return this.beanFactory.getBean(name, MqttListenerErrorHandler.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new IllegalStateException("errorHandler '" + name + "' is not an MqttListenerErrorHandler bean");
		}
	}

	private InvocableHandlerMethod invocable(Candidate candidate) {
		DefaultMessageHandlerMethodFactory handlerMethodFactory = this.handlerMethodFactory;
		if (handlerMethodFactory == null) {
			ConversionService conversionService = ApplicationConversionService.getSharedInstance();
			DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
			factory.setBeanFactory(this.beanFactory);
			factory.setConversionService(conversionService);
			factory.setMessageConverter(this.beanFactory.getBean("mqttMessageConverter", MessageConverter.class));
			factory.setCustomArgumentResolvers(List.of(new TopicVariableArgumentResolver(conversionService)));
			Validator validator = this.beanFactory.getBeanProvider(Validator.class).getIfUnique();
			if (validator != null) {
				factory.setValidator(validator);
			}
			factory.afterPropertiesSet();
			this.handlerMethodFactory = factory;
			handlerMethodFactory = factory;
		}
		return handlerMethodFactory.createInvocableHandlerMethod(candidate.bean(), candidate.method());
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		BeanExpressionResolver expressions = this.beanFactory.getBeanExpressionResolver();
		if (resolved != null && resolved.startsWith("#{") && expressions != null) {
			Object evaluated = expressions.evaluate(resolved, new BeanExpressionContext(this.beanFactory, null));
			resolved = (evaluated != null) ? evaluated.toString() : null;
		}
		if (resolved == null) {
			throw new IllegalStateException("@MqttListener attribute '" + value + "' resolves to nothing");
		}
		return resolved;
	}

	private record Candidate(Object bean, String beanName, Method method, MqttListener listener, int index) {
	}

}
