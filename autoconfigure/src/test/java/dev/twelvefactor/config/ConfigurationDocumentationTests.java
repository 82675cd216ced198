package dev.twelvefactor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the configuration metadata, the settings of {@link TwelveFactorProperties} and the reference table
 * of {@code docs/configuration.md} in step.
 *
 * @author twelvefactor
 */
class ConfigurationDocumentationTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path GUIDE = Path.of("../docs/configuration.md");

	private static final String START = "<!-- settings-table:start -->";

	private static final String END = "<!-- settings-table:end -->";

	@Test
	void everySettingIsAPropertyWithADescriptionInTheMetadata() throws IOException {
		Map<String, JsonNode> properties = properties();
		for (Setting setting : Setting.all()) {
			JsonNode property = properties.get(setting.propertyName());
			assertThat(property).as(setting.propertyName()).isNotNull();
			assertThat(property.path("description").asString()).as(setting.propertyName()).isNotBlank();
			String conventional = setting.conventionalVariable();
			if (conventional != null) {
				assertThat(property.path("description").asString()).as(setting.propertyName()).contains(conventional);
			}
		}
		assertThat(properties.keySet()).hasSize(Setting.all().size());
	}

	@Test
	void metadataDefaultsAreTheSettingsDefaults() throws IOException {
		for (Map.Entry<String, JsonNode> entry : properties().entrySet()) {
			JsonNode defaultValue = entry.getValue().get("defaultValue");
			if (defaultValue != null) {
				Setting setting = setting(entry.getKey());
				assertThat(setting.describeDefault()).as(entry.getKey()).isEqualTo(defaultValue.asString());
			}
		}
	}

	@Test
	void enumeratedSettingsHaveValueHints() throws IOException {
		List<String> hinted = new ArrayList<>();
		metadata().get("hints").forEach((hint) -> hinted.add(hint.get("name").asString()));
		assertThat(hinted).contains("twelvefactor.log-level", "twelvefactor.access-log", "twelvefactor.access-log-format",
				"twelvefactor.error-log", "twelvefactor.on-invalid");
	}

	@Test
	void guideHasTheReferenceTableOfEverySetting() throws IOException {
		String guide = Files.readString(GUIDE);
		assertThat(guide).contains(START).contains(END);
		String table = guide.substring(guide.indexOf(START) + START.length(), guide.indexOf(END)).strip();
		assertThat(table).as("docs/configuration.md settings table out of date; it should read:%n%s%n", expectedTable())
			.isEqualTo(expectedTable());
	}

	@Test
	void productionEnvironmentTemplateNamesEveryVariable() throws IOException {
		String template = Files.readString(Path.of("../.envs/.env.production.example"));
		for (Setting setting : Setting.all()) {
			assertThat(template).as(setting.propertyName()).contains(setting.canonicalVariable() + "=");
			if (setting.conventionalVariable() != null) {
				assertThat(template).as(setting.propertyName()).contains(setting.conventionalVariable() + "=");
			}
		}
	}

	private String expectedTable() {
		StringBuilder table = new StringBuilder();
		table.append("| Property | Variable | Conventional variable | Default | Accepted values |\n");
		table.append("| --- | --- | --- | --- | --- |\n");
		for (Setting setting : Setting.all()) {
			String conventional = setting.conventionalVariable();
			table.append("| `").append(setting.propertyName()).append("` | `").append(setting.canonicalVariable())
				.append("` | ").append((conventional != null) ? "`" + conventional + "`" : "")
				.append(" | `").append(setting.describeDefault()).append("` | ")
				.append(setting.accepted().replace("|", "\\|"))
				.append(" |\n");
		}
		return table.toString().strip();
	}

	private static Setting setting(String propertyName) {
		for (Setting setting : Setting.all()) {
			if (setting.propertyName().equals(propertyName)) {
				return setting;
			}
		}
		throw new IllegalArgumentException(propertyName);
	}

	private static Map<String, JsonNode> properties() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		// The processor also describes the twelvefactor endpoint's management.endpoint.* keys
		metadata().get("properties")
			.valueStream()
			.filter((property) -> property.get("name").asString().startsWith("twelvefactor."))
			.forEach((property) -> properties.put(property.get("name").asString(), property));
		return properties;
	}

	private static JsonNode metadata() throws IOException {
		return JsonMapper.builder().build().readTree(Files.readString(METADATA));
	}

}
