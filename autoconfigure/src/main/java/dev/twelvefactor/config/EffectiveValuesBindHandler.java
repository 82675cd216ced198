package dev.twelvefactor.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * {@link BindHandler} for Spring Boot's binding of the {@link TwelveFactorProperties} bean,
 * which is the effective configuration's own instance: it gives each setting the value the
 * starter already worked out, strictly and by its rules, in place of what Spring's lenient
 * conversion would make of the same text. Binding the bean again thus changes nothing, and
 * {@code /actuator/configprops} shows what runs.
 *
 * @author twelvefactor
 */
final class EffectiveValuesBindHandler extends AbstractBindHandler {

	private final TwelveFactorProperties properties;

	EffectiveValuesBindHandler(BindHandler parent, TwelveFactorProperties properties) {
		super(parent);
		this.properties = properties;
	}

	@Override
	public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
			Object result) {
		Setting setting = Setting.of(name);
		return (setting != null) ? bindEffectiveValue(setting, name, target, context)
				: super.onSuccess(name, target, context, result);
	}

	@Override
	public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
			Exception error) throws Exception {
		Setting setting = Setting.of(name);
		return (setting != null) ? bindEffectiveValue(setting, name, target, context)
				: super.onFailure(name, target, context, error);
	}

	/**
	 * Give the effective value of a setting as a successful binding, also when Spring could
	 * not convert its text (such as {@code warning} for the log level), so that the handlers
	 * below, which record the inputs that {@code configprops} shows, see it as one. A
	 * setting whose effective value is none (an invalid keep-alive) is left unbound.
	 */
	private @Nullable Object bindEffectiveValue(Setting setting, ConfigurationPropertyName name, Bindable<?> target,
			BindContext context) {
		Object value = setting.value(this.properties);
		return (value != null) ? super.onSuccess(name, target, context, value) : null;
	}

}
