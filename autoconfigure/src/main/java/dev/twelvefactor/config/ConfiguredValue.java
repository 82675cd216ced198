package dev.twelvefactor.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The effective value of one setting and where it came from.
 *
 * @param setting the setting
 * @param value the effective value, or {@code null} when none applies (Tomcat's own, off)
 * @param display the value as the startup report and the endpoint show it
 * @param source where the value came from
 * @param springProperties Spring Boot properties the user set that the setting maps to
 * @author twelvefactor
 */
public record ConfiguredValue(Setting setting, @Nullable Object value, String display, SettingSource source,
		List<SpringProperty> springProperties) {

	/**
	 * Return the description of the source as the startup report shows it, with the
	 * Spring Boot properties overridden or left alone.
	 * @return the source description
	 */
	public String describeSource() {
		StringBuilder description = new StringBuilder(this.source.toString());
		for (SpringProperty property : this.springProperties) {
			if (!description.toString().equals(property.name())) {
				description.append("; ").append(property);
			}
		}
		return description.toString();
	}

}
