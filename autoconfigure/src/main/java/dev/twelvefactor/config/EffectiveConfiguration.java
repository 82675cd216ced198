package dev.twelvefactor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.twelvefactor.config.TwelveFactorProperties.OnInvalid;

/**
 * The configuration the starter runs with: the bound {@link TwelveFactorProperties} and,
 * for each setting, its value as shown and where it came from (the variable, argument or
 * file and line that set it, as Spring Boot's origins tell, or how the default was worked
 * out), with the Spring Boot properties it overrides or leaves alone. One instance,
 * worked out once when the environment is prepared, feeds the startup report, check mode,
 * the ready event, the actuator endpoint and the meters, and its properties are the
 * application context's {@link TwelveFactorProperties} bean.
 *
 * @author twelvefactor
 */
public final class EffectiveConfiguration {

	/**
	 * Drain delay on Kubernetes, where the endpoints of a terminating pod are removed at
	 * the same time as it gets SIGTERM, and load balancers learn of it later.
	 */
	static final Duration KUBERNETES_DRAIN_DELAY = Duration.ofSeconds(5);

	private static final Duration MAX_DEFAULT_QUEUE_WAIT = Duration.ofSeconds(10);

	private final TwelveFactorProperties properties;

	private final Map<String, ConfiguredValue> values;

	private final List<InvalidValue> invalidValues;

	private final List<String> warnings;

	private final boolean virtualThreads;

	private final int minimumWorkers;

	private final List<LoggerLevel> loggerLevels;

	private EffectiveConfiguration(TwelveFactorProperties properties, Map<String, ConfiguredValue> values,
			List<InvalidValue> invalidValues, List<String> warnings, boolean virtualThreads, int minimumWorkers,
			List<LoggerLevel> loggerLevels) {
		this.properties = properties;
		this.values = values;
		this.invalidValues = List.copyOf(invalidValues);
		this.warnings = List.copyOf(warnings);
		this.virtualThreads = virtualThreads;
		this.minimumWorkers = minimumWorkers;
		this.loggerLevels = loggerLevels;
	}

	/**
	 * Return the effective configuration the environment was prepared with, if any: none
	 * when the starter is switched off.
	 * @param environment the environment
	 * @return the effective configuration or {@code null}
	 */
	public static @Nullable EffectiveConfiguration find(ConfigurableEnvironment environment) {
		return BootProperties.find(environment);
	}

	/**
	 * Return the effective configuration the environment was prepared with or, when it was
	 * not prepared by {@link TwelveFactorEnvironmentPostProcessor} (an application context
	 * created without {@code SpringApplication}), work it out and apply it now.
	 * @param environment the environment
	 * @return the effective configuration
	 */
	public static EffectiveConfiguration get(ConfigurableEnvironment environment) {
		EffectiveConfiguration configuration = find(environment);
		return (configuration != null) ? configuration : prepare(environment);
	}

	/**
	 * Work out the effective configuration from the environment and apply what the
	 * settings map to.
	 * @param environment the environment
	 * @return the effective configuration
	 */
	static EffectiveConfiguration prepare(ConfigurableEnvironment environment) {
		return prepare(environment, Runtime.getRuntime().availableProcessors());
	}

	static EffectiveConfiguration prepare(ConfigurableEnvironment environment, int availableProcessors) {
		ConventionalVariables.Problems variableProblems = ConventionalVariables.attach(environment);
		TwelveFactorProperties properties = new TwelveFactorProperties();
		SettingsBindHandler handler = new SettingsBindHandler(BindHandler.DEFAULT,
				new PropertySourcesPlaceholdersResolver(environment));
		Binder.get(environment).bind(Setting.PREFIX, Bindable.ofInstance(properties), handler);
		Map<Setting, SettingSource> sources = new LinkedHashMap<>();
		handler.bound().forEach((setting, property) -> sources.put(setting, SettingSource.of(property)));
		List<InvalidValue> invalid = new ArrayList<>(handler.invalidValues());
		invalid.addAll(variableProblems.invalid());
		invalid.sort(Comparator.comparingInt((value) -> Setting.all().indexOf(value.setting())));
		Map<Setting, String> defaults = new LinkedHashMap<>();
		int seedWorkers = Math.max(3, 2 * availableProcessors + 1);
		if (properties.getWorkers() == null) {
			// Left unset, the limit adapts to the load: docs/benchmarks.md, comparison 10,
			// has the measurements behind this default
			properties.setWorkers(Workers.AUTO);
			boolean replacesInvalid = isInvalid("workers", invalid);
			defaults.put(Setting.named("workers"), replacesInvalid ? "default" : "WEB_CONCURRENCY unset");
		}
		if (properties.getMaxQueueWait() == null) {
			properties.setMaxQueueWait(defaultMaxQueueWait(properties.getTimeout()));
			defaults.put(Setting.named("max-queue-wait"), "half the timeout, at most 10s");
		}
		CloudPlatform platform = CloudPlatform.getActive(environment);
		if (properties.getDrainDelay() == null) {
			boolean kubernetes = platform == CloudPlatform.KUBERNETES;
			properties.setDrainDelay(kubernetes ? KUBERNETES_DRAIN_DELAY : Duration.ZERO);
			if (kubernetes) {
				defaults.put(Setting.named("drain-delay"), "on Kubernetes");
			}
		}
		List<String> warnings = new ArrayList<>(
				new VariableNameAdvisor().advise(environmentVariables(environment)));
		warnings.addAll(variableProblems.warnings());
		new ConfigurationRules(properties, sources, invalid, warnings).check(platform);
		if (isInvalid("max-queue-wait", invalid)) {
			properties.setMaxQueueWait(defaultMaxQueueWait(properties.getTimeout()));
		}
		for (InvalidValue value : invalid) {
			sources.remove(value.setting());
		}
		boolean virtualThreads = Threading.VIRTUAL.isActive(environment);
		fitCeilingToMemory(properties, sources, defaults, virtualThreads, seedWorkers);
		int minimumWorkers = Math.min(seedWorkers, properties.getMaxWorkers());
		BootProperties bootProperties = new BootProperties(properties);
		Map<String, ConfiguredValue> values = new LinkedHashMap<>();
		for (Setting setting : Setting.all()) {
			SettingSource source = sources.get(setting);
			if (source == null) {
				String description = defaults.getOrDefault(setting, "default");
				InvalidValue replaced = invalid.stream().filter((value) -> value.setting() == setting).findFirst().orElse(null);
				if (replaced != null) {
					description += ", in place of invalid " + replaced.name();
				}
				source = SettingSource.defaultValue(description);
			}
			List<SpringProperty> springProperties = bootProperties.userProperties(environment, setting,
					source.isExplicit());
			Object value = setting.value(properties);
			String display = (value instanceof Workers workers && workers.isAuto())
					? "auto, " + minimumWorkers + ".." + properties.getMaxWorkers()
					: display(setting, value);
			if (!source.isExplicit() && !springProperties.isEmpty() && bootProperties.isWholeEffect(setting)) {
				display = leftAlone(value, springProperties);
				source = new SettingSource(SettingSource.Kind.SPRING_PROPERTY,
						String.join(", ", springProperties.stream().map(SpringProperty::name).toList()),
						(springProperties.size() == 1) ? springProperties.get(0).source().origin() : null);
			}
			values.put(setting.name(), new ConfiguredValue(setting.name(), setting.label(), value, display, source,
					setting.variables(), springProperties));
		}
		if (properties.getOnInvalid() == OnInvalid.DEFAULT) {
			for (InvalidValue value : invalid) {
				if (value.setting().isSecurity()) {
					// Never replaced: the start fails closed
					continue;
				}
				warnings.add("Invalid " + value.describe() + "; using " + values.get(value.setting().name()).display()
						+ " instead");
			}
		}
		EffectiveConfiguration configuration = new EffectiveConfiguration(properties, values, invalid, warnings,
				virtualThreads, minimumWorkers,
				BootProperties.loggerLevels(environment));
		bootProperties.apply(environment, configuration);
		return configuration;
	}

	private static boolean isInvalid(String setting, List<InvalidValue> invalid) {
		return invalid.stream().anyMatch((value) -> value.setting().name().equals(setting));
	}

	/**
	 * Lower the ceiling of an adaptive limit, where the user did not set one, to the
	 * request threads whose stacks fit in the memory budget, so that the default cannot be
	 * killed for running out of memory once the load raises it. It never goes below the
	 * floor: a budget that cannot hold the floor is reported as not fitting.
	 */
	private static void fitCeilingToMemory(TwelveFactorProperties properties, Map<Setting, SettingSource> sources,
			Map<Setting, String> defaults, boolean virtualThreads, int seedWorkers) {
		Workers workers = properties.getWorkers();
		Setting maxWorkers = Setting.named("max-workers");
		if (virtualThreads || workers == null || !workers.isAuto() || sources.containsKey(maxWorkers)) {
			return;
		}
		int threads = properties.getThreads();
		MemoryBudget budget = MemoryBudget.of(properties.getMaxWorkers() * threads, false);
		if (budget == null || budget.fits()) {
			return;
		}
		int ceiling = Math.max(Math.min(seedWorkers, properties.getMaxWorkers()), budget.stacksThatFit() / threads);
		if (ceiling < properties.getMaxWorkers()) {
			properties.setMaxWorkers(ceiling);
			defaults.put(maxWorkers, "stacks that fit the memory budget, " + budget.describeLimit());
		}
	}

	/**
	 * Return the default wait for admission: half the timeout, so that an admitted request
	 * has time left to run, and at most 10 seconds, so that an overloaded server answers
	 * "busy" while the client still waits for an answer.
	 */
	private static Duration defaultMaxQueueWait(Duration timeout) {
		Duration half = timeout.dividedBy(2);
		return (timeout.isZero() || half.compareTo(MAX_DEFAULT_QUEUE_WAIT) > 0) ? MAX_DEFAULT_QUEUE_WAIT : half;
	}

	private static String display(Setting setting, @Nullable Object value) {
		if (value == null) {
			return switch (setting.name()) {
				case "keep-alive" -> "connection timeout";
				default -> "none";
			};
		}
		return Setting.display(value);
	}

	private static String leftAlone(@Nullable Object value, List<SpringProperty> properties) {
		if (!(value instanceof Bind bind)) {
			SpringProperty property = properties.get(0);
			return Values.escape(SensitiveNames.mask(property.name(), property.value()));
		}
		String host = bind.host();
		String port = String.valueOf(bind.port());
		for (SpringProperty property : properties) {
			if (property.name().equals("server.address")) {
				host = property.value();
			}
			else {
				port = property.value();
			}
		}
		return Values.escape((host.indexOf(':') >= 0) ? "[" + host + "]:" + port : host + ":" + port);
	}

	private static Map<String, Object> environmentVariables(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		Map<String, Object> variables = new LinkedHashMap<>();
		if (source instanceof EnumerablePropertySource<?> enumerable) {
			for (String name : enumerable.getPropertyNames()) {
				Object value = enumerable.getProperty(name);
				variables.put(name, (value != null) ? value : "");
			}
		}
		return variables;
	}

	/**
	 * Return the typed settings the starter runs with. They are the application context's
	 * {@link TwelveFactorProperties} bean; read them, do not change them.
	 * @return the properties
	 */
	public TwelveFactorProperties properties() {
		return this.properties;
	}

	/**
	 * Return every setting's value, in the order of the properties class.
	 * @return the configured values
	 */
	public List<ConfiguredValue> values() {
		return List.copyOf(this.values.values());
	}

	/**
	 * Return the value of one setting.
	 * @param name the setting's name under {@code twelvefactor.}, such as {@code workers}
	 * or {@code ssl.certfile}
	 * @return its configured value
	 * @throws IllegalArgumentException if there is no such setting
	 */
	public ConfiguredValue get(String name) {
		ConfiguredValue value = this.values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("No setting twelvefactor." + name);
		}
		return value;
	}

	/**
	 * Return the {@link BindHandler} for Spring Boot's binding of the
	 * {@link TwelveFactorProperties} bean, which is this configuration's
	 * {@link #properties()}: it gives each setting the value worked out here, so that the
	 * bean binds to what runs.
	 * @param parent the handler to delegate to for other properties
	 * @return the handler
	 */
	public BindHandler bindHandler(BindHandler parent) {
		return new EffectiveValuesBindHandler(parent, this.properties);
	}

	/**
	 * Return the admission limit: how many requests may run their handlers at once,
	 * workers x threads; where it adapts, the limit it starts from and never goes below.
	 * @return the admission limit
	 */
	public int requestThreads() {
		Workers workers = this.properties.getWorkers();
		int fixed = (workers != null && !workers.isAuto()) ? workers.fixed() : this.minimumWorkers;
		return fixed * this.properties.getThreads();
	}

	/**
	 * Return the most the admission limit may be: the limit itself where it is fixed,
	 * max-workers x threads where it adapts.
	 * @return the largest admission limit
	 */
	public int maxRequestThreads() {
		return adaptive() ? this.properties.getMaxWorkers() * this.properties.getThreads() : requestThreads();
	}

	/**
	 * Return whether the admission limit adapts to the load ({@code workers=auto}).
	 * @return whether the limit adapts
	 */
	public boolean adaptive() {
		Workers workers = this.properties.getWorkers();
		return workers != null && workers.isAuto();
	}

	/**
	 * Return whether requests run on virtual threads ({@code spring.threads.virtual.enabled}
	 * on Java 21 or later), rather than on Tomcat's pool of platform threads.
	 * @return whether virtual threads are in use
	 */
	public boolean virtualThreads() {
		return this.virtualThreads;
	}

	/**
	 * Return the loggers other than the root that the user gave a level of their own
	 * ({@code logging.level.<logger>}): the log level setting does not change them.
	 * @return the loggers' levels, with where each was set
	 */
	public List<LoggerLevel> loggerLevels() {
		return this.loggerLevels;
	}

	/**
	 * Return the warnings to give at startup: mistyped variable names, values replaced by
	 * their default, settings that work against each other.
	 * @return the warnings
	 */
	public List<String> warnings() {
		return this.warnings;
	}

	List<InvalidValue> invalidValues() {
		return this.invalidValues;
	}

	/**
	 * Return whether the application must not start: there are invalid values and
	 * {@code on-invalid} is {@code fail}, or one of them is of a security setting (a
	 * certificate, its key, the CA certificates, the address to listen on, the access
	 * log's mask), which fails closed whatever {@code on-invalid} says.
	 * @return whether the start fails
	 */
	public boolean failsStart() {
		return !this.invalidValues.isEmpty() && (this.properties.getOnInvalid() == OnInvalid.FAIL
				|| this.invalidValues.stream().anyMatch((value) -> value.setting().isSecurity()));
	}

	/**
	 * Throw the exception that stops the start, reported by the starter's failure
	 * analysis, when {@link #failsStart()}.
	 */
	public void checkStart() {
		if (failsStart()) {
			throw new InvalidConfigurationException(this.invalidValues);
		}
	}

}
