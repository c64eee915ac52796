package dev.mqttboot.brokerconsole;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * The console's pages, in the management server's own context: they answer on the management port only, behind
 * its login (see broker-service's {@code ManagementSecurity}), and never on the application port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = ConsoleConfiguration.ENABLED, matchIfMissing = true)
@Import({ OverviewController.class, ClientsController.class, TopicsController.class, TryItController.class,
		ConsoleModel.class })
public class ConsoleManagementContextConfiguration {

}
