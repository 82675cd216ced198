package dev.twelvefactor.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reads the starter's settings once the application's configuration files are loaded, and
 * applies what must be in place before logging starts. Validation failures are reported
 * later, by {@link ConfigurationCheckListener}, once logging can print them.
 *
 * @author twelvefactor
 */
public class TwelveFactorEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Order of the post-processor: just after the application's configuration is loaded.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ConfigurationResolver.attachVariables(environment);
		AppliedPropertySource.apply(environment, new ConfigurationResolver(environment).resolve());
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
