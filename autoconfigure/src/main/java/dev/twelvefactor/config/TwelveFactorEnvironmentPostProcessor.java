package dev.twelvefactor.config;

import java.util.Locale;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Works out the starter's {@link EffectiveConfiguration} once the application's
 * configuration files are loaded, and applies what must be in place before logging
 * starts. Does nothing when {@code twelvefactor.enabled} is {@code false}. Invalid values
 * are reported later, once logging can print them.
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
		if (isEnabled(environment)) {
			EffectiveConfiguration.prepare(environment);
		}
	}

	/**
	 * Return whether the starter is on in the given environment. Only {@code false} (in
	 * any case) switches it off; any other value leaves it on, to report the value.
	 * @param environment the environment
	 * @return whether the starter is on
	 */
	static boolean isEnabled(ConfigurableEnvironment environment) {
		String enabled = environment.getProperty("twelvefactor.enabled");
		return enabled == null || !Values.trim(enabled).toLowerCase(Locale.ROOT).equals("false");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
