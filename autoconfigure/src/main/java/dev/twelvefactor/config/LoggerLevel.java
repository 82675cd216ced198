package dev.twelvefactor.config;

/**
 * A logger the user gave a level of its own ({@code logging.level.<logger>}), which keeps
 * it whatever the root level ({@code LOG_LEVEL}) is, as Spring Boot applies it.
 *
 * @param logger the logger's name, such as {@code org.springframework}
 * @param level the level, upper case, such as {@code INFO}
 * @param source where the user set it
 * @author twelvefactor
 */
public record LoggerLevel(String logger, String level, SettingSource source) {

	@Override
	public String toString() {
		return this.logger + " keeps " + this.level + " (" + this.source + ")";
	}

}
