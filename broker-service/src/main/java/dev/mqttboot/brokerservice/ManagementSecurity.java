package dev.mqttboot.brokerservice;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import dev.mqttboot.brokerconsole.ConsoleConfiguration;

import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * Who may use the management port: anyone for the health probes, info and the Prometheus scrape (no client identity
 * in any of them); the management user, over HTTP basic, for everything else, the {@code mqtt} endpoint's details and
 * actions included. The console ({@code /console}) is the management user's too, through a login form (or HTTP
 * basic), with CSRF protection on every action; only its login page answers an anonymous request. Nothing else is
 * served.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

	private static final String LOGIN_PAGE_STYLE = "/default-ui.css";

	@Bean
	@Order(1)
	SecurityFilterChain managementFilterChain(HttpSecurity http) throws Exception {
		BasicAuthenticationEntryPoint challenge = new BasicAuthenticationEntryPoint();
		challenge.setRealmName("broker-service management");
		challenge.afterPropertiesSet();
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
						PrometheusScrapeEndpoint.class))
				.permitAll()
				.anyRequest()
				.authenticated())
			// 401 with a Basic challenge for every caller without credentials, whatever it accepts.
			.httpBasic((basic) -> basic.authenticationEntryPoint(challenge))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(challenge))
			// Machines call these with credentials, not browsers with cookies.
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(0)
	@ConditionalOnBooleanProperty(name = ConsoleConfiguration.ENABLED, matchIfMissing = true)
	SecurityFilterChain consoleFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(new AndRequestMatcher(ManagementSecurity::onManagementServer,
				new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/console/**"),
						PathPatternRequestMatcher.withDefaults().matcher("/console"),
						PathPatternRequestMatcher.withDefaults().matcher("/login"),
						PathPatternRequestMatcher.withDefaults().matcher("/logout"),
						PathPatternRequestMatcher.withDefaults().matcher(LOGIN_PAGE_STYLE))))
			// The generated login page's style sheet, so that it is not taken for the page to return to after login.
			.authorizeHttpRequests((requests) -> requests.requestMatchers(LOGIN_PAGE_STYLE)
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin((form) -> form.defaultSuccessUrl("/console", false))
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout"))
			.httpBasic(Customizer.withDefaults());
		return http.build();
	}

	/** Whether a request came in on the management server (its own port), not the application's. */
	private static boolean onManagementServer(HttpServletRequest request) {
		WebApplicationContext context = WebApplicationContextUtils.getWebApplicationContext(request.getServletContext());
		return context instanceof WebServerApplicationContext server
				&& "management".equals(server.getServerNamespace());
	}

	@Bean
	@Order(2)
	SecurityFilterChain applicationFilterChain(HttpSecurity http) throws Exception {
		// The error page that renders a 401, 404 or 400 of the management port keeps that status.
		http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.anyRequest()
			.denyAll());
		return http.build();
	}

}
