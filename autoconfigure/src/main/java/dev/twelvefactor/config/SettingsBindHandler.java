package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;

/**
 * {@link BindHandler} that converts the value of each of the starter's settings strictly,
 * from the text the user wrote, in place of Spring's lenient conversion (which would take
 * {@code 0x10} as 16). An invalid value is recorded, with the name the user wrote, and
 * left unbound, so that the field keeps its default; an empty value counts as unset.
 *
 * @see EffectiveValuesBindHandler
 *
 * @author twelvefactor
 */
final class SettingsBindHandler extends AbstractBindHandler {

	private final PlaceholdersResolver placeholders;

	private final Map<Setting, ConfigurationProperty> bound = new LinkedHashMap<>();

	private final List<InvalidValue> invalidValues = new ArrayList<>();

	SettingsBindHandler(BindHandler parent, PlaceholdersResolver placeholders) {
		super(parent);
		this.placeholders = placeholders;
	}

	@Override
	public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
			Object result) {
		Setting setting = Setting.of(name);
		return (setting != null) ? convert(setting, name, context) : super.onSuccess(name, target, context, result);
	}

	@Override
	public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
			Exception error) throws Exception {
		Setting setting = Setting.of(name);
		return (setting != null) ? convert(setting, name, context) : super.onFailure(name, target, context, error);
	}

	private @Nullable Object convert(Setting setting, ConfigurationPropertyName name, BindContext context) {
		ConfigurationProperty property = findProperty(name, context);
		if (property == null) {
			return null;
		}
		Object resolved = this.placeholders.resolvePlaceholders(property.getValue());
		String written = (resolved != null) ? resolved.toString() : "";
		if (Values.trim(written).isEmpty()) {
			return null;
		}
		SettingSource source = SettingSource.of(property);
		try {
			Object value = ConventionalVariables.isPortOnly(source.name())
					? new Bind(Bind.ALL_IPV4_INTERFACES, Bind.parsePort(Values.trim(written)))
					: setting.convert(Values.trim(written));
			this.bound.put(setting, property);
			return value;
		}
		catch (InvalidValueException ex) {
			this.invalidValues.add(InvalidValue.of(setting, source, written, ex));
			return null;
		}
	}

	/**
	 * Return the property being bound: the binder's context drops it when Spring has no
	 * converter to the setting's type at all.
	 */
	private static @Nullable ConfigurationProperty findProperty(ConfigurationPropertyName name, BindContext context) {
		ConfigurationProperty property = context.getConfigurationProperty();
		if (property != null) {
			return property;
		}
		for (ConfigurationPropertySource source : context.getSources()) {
			property = source.getConfigurationProperty(name);
			if (property != null) {
				return property;
			}
		}
		return null;
	}

	/**
	 * Return the property each setting was bound from.
	 * @return the bound properties
	 */
	Map<Setting, ConfigurationProperty> bound() {
		return this.bound;
	}

	/**
	 * Return the invalid values found, in the order of the settings.
	 * @return the invalid values
	 */
	List<InvalidValue> invalidValues() {
		List<Setting> order = Setting.all();
		List<InvalidValue> invalid = new ArrayList<>(this.invalidValues);
		invalid.sort(Comparator.comparingInt((value) -> order.indexOf(value.setting())));
		return invalid;
	}

}
