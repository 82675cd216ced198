package dev.twelvefactor.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Builds environments with given variables, application properties and command-line
 * arguments, in Spring Boot's order, without touching the real process environment.
 *
 * @author twelvefactor
 */
final class TestEnvironments {

	private final Map<String, Object> variables = new LinkedHashMap<>();

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private String[] arguments = new String[0];

	static TestEnvironments create() {
		return new TestEnvironments();
	}

	TestEnvironments variable(String name, String value) {
		this.variables.put(name, value);
		return this;
	}

	TestEnvironments property(String name, String value) {
		this.properties.put(name, value);
		return this;
	}

	TestEnvironments arguments(String... arguments) {
		this.arguments = arguments;
		return this;
	}

	StandardEnvironment build() {
		StandardEnvironment environment = new StandardEnvironment();
		var sources = environment.getPropertySources();
		sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, this.variables));
		sources.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
				new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));
		sources.addFirst(new SimpleCommandLinePropertySource(this.arguments));
		sources.addLast(new MapPropertySource("Config resource 'class path resource [application.properties]'",
				this.properties));
		return environment;
	}

	/**
	 * Build the environment and prepare it as the starter's post-processor does, on a
	 * machine with two cores.
	 * @return the prepared environment
	 */
	StandardEnvironment prepare() {
		StandardEnvironment environment = build();
		EffectiveConfiguration.prepare(environment, 2);
		return environment;
	}

	EffectiveConfiguration resolve() {
		return resolve(2);
	}

	EffectiveConfiguration resolve(int cores) {
		return EffectiveConfiguration.prepare(build(), cores);
	}

}
