package dev.twelvefactor.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The effective value of one setting and where it came from.
 *
 * @param name the setting's name under {@code twelvefactor.}, such as {@code workers}
 * @param label the setting's label in the startup report, such as {@code Workers}
 * @param value the effective value, or {@code null} when none applies (Tomcat's own, off)
 * @param display the value as the startup report and the endpoint show it
 * @param source where the value came from
 * @param variables the environment variables that set it, canonical first
 * @param springProperties Spring Boot properties the user set that the setting maps to
 * @author twelvefactor
 */
public record ConfiguredValue(String name, String label, @Nullable Object value, String display, SettingSource source,
		List<String> variables, List<SpringProperty> springProperties) {

	/**
	 * Return the setting's property name, such as {@code twelvefactor.workers}.
	 * @return the property name
	 */
	public String propertyName() {
		return Setting.PREFIX + "." + this.name;
	}

	/**
	 * Return the description of the source as the startup report shows it, with the
	 * Spring Boot properties overridden or left alone.
	 * @return the source description
	 */
	public String describeSource() {
		StringBuilder description = new StringBuilder(this.source.toString());
		for (SpringProperty property : this.springProperties) {
			if (!this.source.name().contains(property.name())) {
				description.append("; ").append(property);
			}
		}
		return description.toString();
	}

}
